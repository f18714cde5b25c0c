import { Injectable } from '@nestjs/common';
import { addLogFields, assertBranchAccess, type AuthUser } from '@aftersales/service-kit';
import { ConflictError, NotFoundError } from '@aftersales/service-kit/domain-errors';
import { Clock } from '../../shared/clock';
import { assertUsableForCheckIn, voidReceipt, type PickupReceipt } from '../domain/pickup-receipt';
import {
  checkIn,
  complete,
  escalate,
  logPart,
  logWork,
  reschedule,
  returnToCustomer,
  verify,
  type Change,
  type Repair,
} from '../domain/repair';
import { ShopStore } from '../infrastructure/shop.store';
import { BranchCalendars } from './calendars';
import { toEvents } from './events';

/** Optimistic concurrency: reload and decide again this many times before giving up with a 409. */
const MAX_ATTEMPTS = 5;

/** The clerks' and technicians' commands: load → domain → save state and events in one write. */
@Injectable()
export class RepairCommands {
  constructor(
    private readonly store: ShopStore,
    private readonly calendars: BranchCalendars,
    private readonly clock: Clock,
  ) {}

  /** [11][12] Log the product IN by its pickup receipt; unknown receipt → 404, void receipt → 409. */
  async checkIn(
    user: AuthUser,
    input: { receiptNo: string; condition: string; scheduledFor: string },
  ): Promise<Repair> {
    const receipt = await this.receipt(user, input.receiptNo);
    assertUsableForCheckIn(receipt);
    const calendar = this.calendars.of(receipt.branchId);
    return this.mutate(user, receipt.callId, (repair, now) =>
      checkIn(repair, { condition: input.condition, scheduledFor: input.scheduledFor, by: user.sub }, calendar, now),
    );
  }

  /** [12] Actual repair time on the card. */
  logWork(user: AuthUser, callId: string, input: { minutes: number; note?: string }): Promise<Repair> {
    return this.mutate(user, callId, (repair, now) => logWork(repair, input, user.sub, now));
  }

  /** [12] A spare part used. */
  logPart(user: AuthUser, callId: string, input: { partNo: string; qty: number }): Promise<Repair> {
    return this.mutate(user, callId, (repair, now) => logPart(repair, input, user.sub, now));
  }

  complete(user: AuthUser, callId: string): Promise<Repair> {
    return this.mutate(user, callId, (repair, now) => complete(repair, user.sub, now));
  }

  verify(user: AuthUser, callId: string, input: { works: boolean; note?: string }): Promise<Repair> {
    return this.mutate(user, callId, (repair, now) => verify(repair, input, user.sub, now));
  }

  /** [14] Cannot be repaired as scheduled: escalated to the director now, not at the end of the day. */
  escalate(user: AuthUser, callId: string, input: { reason: string }): Promise<Repair> {
    return this.mutate(user, callId, (repair, now) => escalate(repair, { ...input, by: user.sub }, now));
  }

  /** [14] New scheduled date with a reason; the overdue check re-arms for it. */
  reschedule(user: AuthUser, callId: string, input: { scheduledFor: string; reason: string }): Promise<Repair> {
    return this.mutate(user, callId, (repair, now) =>
      reschedule(repair, { ...input, by: user.sub }, this.calendars.of(repair.branchId), now),
    );
  }

  /**
   * [12][13] Log the product OUT and recover its pickup receipt: only a verified repair (or one flagged
   * "return without repair"). The receipt is voided first, then the repair is saved with
   * repairshop.product.returned.v1. A crash between the two leaves a void receipt on a repair not yet
   * returned; returning again completes it (voiding is idempotent for the same call), and until then the
   * receipt cannot be used for anything else.
   */
  async returnProduct(
    user: AuthUser,
    input: { receiptNo: string; customerSignature: string; customerSignedAt?: string },
  ): Promise<Repair> {
    const receipt = await this.receipt(user, input.receiptNo);
    const calendar = this.calendars.of(receipt.branchId);
    return this.mutate(
      user,
      receipt.callId,
      (repair, now) => {
        if (repair.status === 'returned') {
          throw new ConflictError(`Pickup receipt ${receipt.receiptNo} is void and can never be used again [12].`);
        }
        return returnToCustomer(
          repair,
          {
            customerSignature: input.customerSignature,
            customerSignedAt: input.customerSignedAt ? new Date(input.customerSignedAt) : now,
            by: user.sub,
          },
          calendar,
          now,
        );
      },
      async (_, now) => {
        const voided = voidReceipt(receipt, receipt.callId, now);
        if (voided && !(await this.store.voidReceipt(voided))) {
          const current = await this.store.findReceipt(receipt.receiptNo);
          // Voided meanwhile for this very call (a concurrent return): fine, the repair save decides.
          if (current?.status !== 'voided' || current.callId !== receipt.callId) {
            throw new ConflictError(`Pickup receipt ${receipt.receiptNo} changed meanwhile; try again.`);
          }
        }
      },
    );
  }

  private async receipt(user: AuthUser, receiptNo: string): Promise<PickupReceipt> {
    const receipt = await this.store.findReceipt(receiptNo);
    if (!receipt) throw new NotFoundError(`No pickup receipt ${receiptNo}.`);
    assertBranchAccess(user, receipt.branchId);
    addLogFields({ callId: receipt.callId, branchId: receipt.branchId });
    return receipt;
  }

  /**
   * Load, decide, save with the events; on a concurrent save, reload and decide again. Domain errors
   * are thrown before anything is written. `beforeSave` runs once the decision is taken (e.g. voiding
   * the receipt).
   */
  private async mutate(
    user: AuthUser,
    callId: string,
    decide: (repair: Repair, now: Date) => Change,
    beforeSave?: (change: Change, now: Date) => Promise<void>,
  ): Promise<Repair> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const loaded = await this.store.findRepair(callId);
      if (!loaded) throw new NotFoundError(`No shop repair for call ${callId}.`);
      assertBranchAccess(user, loaded.value.branchId);
      addLogFields({ callId, branchId: loaded.value.branchId });
      const now = this.clock.now();
      const change = decide(loaded.value, now);
      if (beforeSave) await beforeSave(change, now);
      const { result, newEvents } = await this.store.saveRepair(
        change.repair,
        loaded.version,
        toEvents(change.repair.branchId, change.facts),
      );
      if (newEvents > 0) this.store.kick();
      if (result === 'saved') return change.repair;
    }
    throw new ConflictError(`Repair ${callId} is being changed by someone else; try again.`);
  }
}
