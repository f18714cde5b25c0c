import { createZodDto } from '@aftersales/service-kit';
import { z } from 'zod';

const date = z.iso.date();
const text = (max: number) => z.string().trim().min(1).max(max);
const receiptNo = text(100).describe('Pickup receipt number');

export const checkInSchema = z.strictObject({
  receiptNo,
  condition: text(1000).describe('[11] Condition of the product as received'),
  scheduledFor: date.describe('[14] Branch-local working date the repair is scheduled to be done by'),
});
export class CheckInDto extends createZodDto(checkInSchema) {}

export const checkOutSchema = z.strictObject({
  receiptNo: receiptNo.describe('[12] The pickup receipt recovered from the customer; it is voided'),
  customerSignature: text(200).describe('[12] Name of the customer who signed the voucher on return'),
  customerSignedAt: z.iso.datetime({ offset: true }).optional().describe('Defaults to now'),
});
export class CheckOutDto extends createZodDto(checkOutSchema) {}

export const registerQuerySchema = z
  .strictObject({
    branchId: text(63).optional().describe("Defaults to the caller's branch"),
    from: date.describe('First check-in date (branch-local, inclusive)'),
    to: date.describe('Last check-in date (branch-local, inclusive)'),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .refine((q) => q.from <= q.to, { message: '"from" must not be after "to"', path: ['to'] });
export class RegisterQueryDto extends createZodDto(registerQuerySchema) {}

export const workEntrySchema = z.strictObject({
  minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .describe('[12] Actual repair time, minutes'),
  note: z.string().trim().max(1000).optional(),
});
export class WorkEntryDto extends createZodDto(workEntrySchema) {}

export const partSchema = z.strictObject({
  partNo: text(100).describe('[12] Spare part number'),
  qty: z.number().int().min(1).max(10_000),
});
export class PartDto extends createZodDto(partSchema) {}

export const verifySchema = z.strictObject({
  works: z.boolean().default(true).describe('[12] false sends the product back to repair'),
  note: z.string().trim().max(1000).optional(),
});
export class VerifyDto extends createZodDto(verifySchema) {}

export const rescheduleSchema = z.strictObject({
  scheduledFor: date,
  reason: text(1000).describe('[14] Why it cannot be done by the current date'),
});
export class RescheduleDto extends createZodDto(rescheduleSchema) {}

export const escalationSchema = z.strictObject({
  reason: text(1000).describe('[14] Why it cannot be repaired as scheduled'),
});
export class EscalationDto extends createZodDto(escalationSchema) {}

export const branchQuerySchema = z.strictObject({
  branchId: text(63).optional().describe("Defaults to the caller's branch"),
});
export class BranchQueryDto extends createZodDto(branchQuerySchema) {}

export const runOverdueSchema = z.strictObject({
  at: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Instant to check at (defaults to now; never in the future)'),
});
export class RunOverdueDto extends createZodDto(runOverdueSchema) {}
