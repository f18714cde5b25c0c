import { z } from 'zod';
import { defineEvent } from '../define';
import { BusinessDate, Id, Instant, Minutes, Parts } from './common';

const ReceiptNo = z.string().min(1).describe('Pickup receipt number');

export const ProductCheckedInV1 = defineEvent({
  type: 'repairshop.product.checked-in.v1',
  producer: 'repair-shop',
  consumers: ['reporting'],
  description: '[11][12] Logged IN in the product in/out register; a repair card now hangs on it.',
  data: {
    callId: Id,
    receiptNo: ReceiptNo,
    technicianId: Id,
    checkedInAt: Instant,
    scheduledFor: BusinessDate.describe('Date the repair is scheduled to be done by'),
  },
});

export const RepairOverdueV1 = defineEvent({
  type: 'repairshop.repair.overdue.v1',
  producer: 'repair-shop',
  consumers: ['reporting'],
  description: '[14] Not repaired by its scheduled date: escalated to the director at once.',
  data: { callId: Id, technicianId: Id, scheduledFor: BusinessDate },
});

export const RepairCompletedV1 = defineEvent({
  type: 'repairshop.repair.completed.v1',
  producer: 'repair-shop',
  consumers: ['reporting'],
  description: '[12] Repaired and verified; the repair card holds the actual time and spare parts.',
  data: {
    callId: Id,
    technicianId: Id,
    labourMinutes: Minutes,
    parts: Parts,
    verifiedBy: Id,
    completedAt: Instant,
  },
});

export const ProductReturnedV1 = defineEvent({
  type: 'repairshop.product.returned.v1',
  producer: 'repair-shop',
  consumers: ['call-intake', 'reporting'],
  description: '[12][13] Logged OUT and returned for the customer to sign the voucher; the pickup receipt is void.',
  data: {
    callId: Id,
    receiptNo: ReceiptNo.describe('Pickup receipt, recovered and now void'),
    technicianId: Id,
    returnedAt: Instant,
    labourMinutes: Minutes,
    parts: Parts,
    customerSignedAt: Instant,
  },
});
