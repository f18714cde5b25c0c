import { z } from 'zod';

/** Field schemas shared by several events. Keep each concept declared once. */
export const Id = z.string().min(1).max(100);
export const Instant = z.iso.datetime({ offset: true }).describe('ISO 8601 instant');
export const BusinessDate = z.iso.date().describe('Branch-local business date, YYYY-MM-DD');
export const Zone = z.enum(['urban', 'suburban']).describe('[19] decides the dispatch SLA: 6 or 7 working hours');
export const Category = z
  .enum(['A', 'B', 'C'])
  .describe('[6] A paid, B maintenance contract, C free (warranty); D is never a call');
export const Minutes = z.number().int().nonnegative();
export const MinorUnits = z.number().int().describe('Money in integer minor units (cents)');
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/)
  .describe('ISO 4217 code');

export const Customer = z.object({
  id: Id,
  name: z.string().min(1),
  phone: z.string().min(1),
  address: z.string().min(1),
  zone: Zone,
});
export const Product = z.object({ model: z.string().min(1), serial: z.string().min(1) });
export const PartUsed = z.object({ partNo: z.string().min(1), qty: z.number().int().positive() });
export const Parts = z.array(PartUsed);
export const Completion = z.enum(['on-site', 'shop']);
