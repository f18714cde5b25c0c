import { ConflictError } from '@aftersales/service-kit/domain-errors';

/**
 * [11][12] The "customer product pickup receipt" the technician gives the customer when taking the
 * product. Its own record, keyed by its number: issued → voided. It is recovered and voided when the
 * product is returned, and a voided receipt can never be used again (no check-in, no new repair).
 */
export type ReceiptStatus = 'issued' | 'voided';

export interface PickupReceipt {
  receiptNo: string;
  branchId: string;
  /** The call (= repair) it was issued for. */
  callId: string;
  status: ReceiptStatus;
  issuedAt: Date;
  voidedAt?: Date;
}

export function issueReceipt(input: { receiptNo: string; branchId: string; callId: string }, now: Date): PickupReceipt {
  return { ...input, status: 'issued', issuedAt: now };
}

/** A receipt can open (or re-deliver the opening of) only the repair of its own call, and never once void. */
export function assertCanOpenRepair(receipt: PickupReceipt, callId: string): void {
  if (receipt.status === 'voided') {
    throw new ConflictError(`Pickup receipt ${receipt.receiptNo} is void and can never be used again [12].`);
  }
  if (receipt.callId !== callId) {
    throw new ConflictError(`Pickup receipt ${receipt.receiptNo} was issued for another call (${receipt.callId}).`);
  }
}

/** [11] Checking a product in needs a receipt still in force. */
export function assertUsableForCheckIn(receipt: PickupReceipt): void {
  if (receipt.status === 'voided') {
    throw new ConflictError(`Pickup receipt ${receipt.receiptNo} is void and can never be used again [12].`);
  }
}

/**
 * [12] Recovered from the customer on return and voided. Voiding again for the same call is a no-op
 * (a retried return after a crash); undefined then means "nothing to change".
 */
export function voidReceipt(receipt: PickupReceipt, callId: string, now: Date): PickupReceipt | undefined {
  if (receipt.callId !== callId) {
    throw new ConflictError(`Pickup receipt ${receipt.receiptNo} belongs to call ${receipt.callId}, not ${callId}.`);
  }
  if (receipt.status === 'voided') return undefined;
  return { ...receipt, status: 'voided', voidedAt: now };
}
