import { z } from 'zod';
import { defineEvent } from '../define';
import {
  BusinessDate,
  Category,
  Completion,
  Customer,
  Id,
  Instant,
  MinorUnits,
  Minutes,
  Parts,
  Product,
} from './common';

export const CallRegisteredV1 = defineEvent({
  type: 'intake.call.registered.v1',
  producer: 'call-intake',
  consumers: ['dispatch', 'reporting'],
  description: '[8] A clerk logged a repair call in the repair-call log and issued its service voucher.',
  data: {
    callId: Id,
    callNumber: z.string().min(1),
    voucherNo: z.string().min(1),
    customer: Customer,
    product: Product,
    problem: z.string().min(1),
    category: Category,
    provisional: z.boolean().optional().describe('true when billing could not be asked about coverage'),
    receivedAt: Instant,
  },
});

export const CallReclassifiedV1 = defineEvent({
  type: 'intake.call.reclassified.v1',
  producer: 'call-intake',
  consumers: ['dispatch', 'billing', 'reporting'],
  description: '[6] The call category changed, e.g. once contract coverage became known.',
  data: { callId: Id, from: Category, to: Category, reason: z.string().min(1) },
});

export const CallCarriedOverV1 = defineEvent({
  type: 'intake.call.carried-over.v1',
  producer: 'call-intake',
  consumers: ['dispatch', 'reporting'],
  description: '[18] Not dispatched on its business day: goes to the director first thing next day.',
  data: { callId: Id, businessDate: BusinessDate, priority: z.enum(['high']) },
});

export const CallCancelledV1 = defineEvent({
  type: 'intake.call.cancelled.v1',
  producer: 'call-intake',
  consumers: ['dispatch', 'repair-shop', 'reporting'],
  description: 'The call was cancelled before it was closed.',
  data: { callId: Id, reason: z.string().min(1) },
});

export const CallClosedV1 = defineEvent({
  type: 'intake.call.closed.v1',
  producer: 'call-intake',
  consumers: ['billing', 'customer-feedback', 'reporting'],
  description: '[9][12] The clerk checked the signed voucher against the call log and logged it out.',
  data: {
    callId: Id,
    voucherNo: z.string().min(1),
    category: Category,
    customer: Customer,
    product: Product.optional(),
    technicianId: Id,
    completion: Completion,
    labourMinutes: Minutes,
    parts: Parts,
    cashCollected: MinorUnits.nonnegative().optional(),
    closedAt: Instant,
  },
});
