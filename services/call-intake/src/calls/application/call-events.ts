import {
  CallCancelledV1,
  CallCarriedOverV1,
  CallClosedV1,
  CallReclassifiedV1,
  CallRegisteredV1,
  eventMeta,
  type CloudEvent,
} from '@aftersales/contracts';
import { eventSource } from '@aftersales/messaging';
import type { CallFact, CallProps } from '../domain/call';

export const SOURCE = eventSource('call-intake');

const customerOf = (c: CallProps['customer']) => ({
  id: c.id,
  name: c.name,
  phone: c.phone,
  address: c.address,
  zone: c.zone,
});

/** The catalogue events (DOMAIN.md) for the facts a call just raised. */
export function eventsFor(call: Readonly<CallProps>, facts: readonly CallFact[], now: Date): CloudEvent[] {
  const meta = () => eventMeta(SOURCE, call.id, { time: now });
  const base = { branchId: call.branchId, callId: call.id };
  return facts.map((fact): CloudEvent => {
    switch (fact.kind) {
      case 'registered':
        return CallRegisteredV1.create(
          {
            ...base,
            callNumber: call.callNumber,
            voucherNo: call.voucherNo,
            customer: customerOf(call.customer),
            product: { model: call.product.model, serial: call.product.serial },
            problem: call.problem,
            category: call.category,
            ...(call.provisional ? { provisional: true } : {}),
            receivedAt: call.receivedAt,
          },
          meta(),
        );
      case 'reclassified':
        return CallReclassifiedV1.create({ ...base, from: fact.from, to: fact.to, reason: fact.reason }, meta());
      case 'carried-over':
        return CallCarriedOverV1.create({ ...base, businessDate: fact.businessDate, priority: 'high' }, meta());
      case 'cancelled':
        return CallCancelledV1.create({ ...base, reason: fact.reason }, meta());
      case 'closed': {
        const c = call.completion!;
        return CallClosedV1.create(
          {
            ...base,
            voucherNo: call.voucherNo,
            category: call.category,
            customer: customerOf(call.customer),
            product: { model: call.product.model, serial: call.product.serial },
            technicianId: c.technicianId,
            completion: c.kind,
            labourMinutes: c.labourMinutes,
            parts: c.parts,
            ...(c.cashCollected !== undefined ? { cashCollected: c.cashCollected } : {}),
            closedAt: call.closedAt!,
          },
          meta(),
        );
      }
    }
  });
}
