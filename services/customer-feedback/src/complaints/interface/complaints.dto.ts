import { z } from 'zod';
import { createZodDto } from '@aftersales/service-kit';

export const newComplaintSchema = z.strictObject({
  branchId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a branch id such as br-north'),
  kind: z.enum(['complaint', 'suggestion']).default('complaint'),
  /** [26] serious → deputy general manager at once; general → service department. */
  severity: z.enum(['general', 'serious']),
  summary: z.string().trim().min(1).max(4000),
  callId: z.string().min(1).max(100).optional(),
  customer: z
    .strictObject({
      name: z.string().trim().min(1).max(200),
      phone: z.string().trim().min(3).max(40).optional(),
      email: z.email().optional(),
      address: z.string().trim().min(1).max(400).optional(),
    })
    .optional(),
  /** [28] About the branch (its staff or work): its service director handles it. Default true. */
  aboutBranch: z.boolean().default(true),
});
export class NewComplaintDto extends createZodDto(newComplaintSchema) {}

export const resolveSchema = z.strictObject({ outcome: z.string().trim().min(1).max(4000) });
export class ResolveComplaintDto extends createZodDto(resolveSchema) {}

export const notifySchema = z.strictObject({
  /** [26] in writing (letter, e-mail) or by phone. */
  channel: z.enum(['phone', 'letter', 'email']),
  /** When the customer was told; default now. */
  at: z.iso.datetime({ offset: true }).optional(),
});
export class NotifyCustomerDto extends createZodDto(notifySchema) {}

export const ageingSchema = z.strictObject({
  branchId: z.string().min(1).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export class AgeingQuery extends createZodDto(ageingSchema) {}
