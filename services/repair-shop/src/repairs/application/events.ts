import { createHash } from 'node:crypto';
import {
  CloudEvent,
  eventMeta,
  ProductCheckedInV1,
  ProductReturnedV1,
  RepairCompletedV1,
  RepairOverdueV1,
} from '@aftersales/contracts';
import { eventSource } from '@aftersales/messaging';
import type { RepairFact } from '../domain/repair';

export const SERVICE = 'repair-shop';
const SOURCE = eventSource(SERVICE);

/**
 * Each fact happens at most once per repair (per scheduled date for overdue), so its event id is derived
 * from that identity rather than random. Should two replicas both write the same fact (FerretDB 1.24 does
 * not make a version-guarded update an atomic compare-and-set under concurrency), the copies are the same
 * CloudEvent and consumers, which de-duplicate on (source, id), apply it once.
 */
export function factKey(fact: RepairFact): string {
  return fact.kind === 'overdue' ? `${fact.kind}|${fact.callId}|${fact.scheduledFor}` : `${fact.kind}|${fact.callId}`;
}

/** A stable UUID-shaped id for a key (SHA-256 based, version nibble 5-like, variant RFC 4122). */
export function stableEventId(key: string): string {
  const h = createHash('sha256').update(`${SOURCE}|${key}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The catalogue events for what the domain decided; they carry the current correlation context. */
export function toEvents(branchId: string, facts: readonly RepairFact[]): CloudEvent[] {
  return facts.map((fact): CloudEvent => {
    const meta = eventMeta(SOURCE, fact.callId, { id: stableEventId(factKey(fact)) });
    switch (fact.kind) {
      case 'checked-in':
        return ProductCheckedInV1.create(
          {
            branchId,
            callId: fact.callId,
            receiptNo: fact.receiptNo,
            technicianId: fact.technicianId,
            checkedInAt: fact.checkedInAt.toISOString(),
            scheduledFor: fact.scheduledFor,
          },
          meta,
        );
      case 'overdue':
        return RepairOverdueV1.create(
          { branchId, callId: fact.callId, technicianId: fact.technicianId, scheduledFor: fact.scheduledFor },
          meta,
        );
      case 'completed':
        return RepairCompletedV1.create(
          {
            branchId,
            callId: fact.callId,
            technicianId: fact.technicianId,
            labourMinutes: fact.labourMinutes,
            parts: fact.parts,
            verifiedBy: fact.verifiedBy,
            completedAt: fact.completedAt.toISOString(),
          },
          meta,
        );
      case 'returned':
        return ProductReturnedV1.create(
          {
            branchId,
            callId: fact.callId,
            receiptNo: fact.receiptNo,
            technicianId: fact.technicianId,
            returnedAt: fact.returnedAt.toISOString(),
            labourMinutes: fact.labourMinutes,
            parts: fact.parts,
            customerSignedAt: fact.customerSignedAt.toISOString(),
          },
          meta,
        );
    }
  });
}
