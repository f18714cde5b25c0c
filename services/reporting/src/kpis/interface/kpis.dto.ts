import { createZodDto } from '@aftersales/service-kit';
import { z } from 'zod';

const date = z.iso.date().describe('Business date, YYYY-MM-DD');

export const kpiQuerySchema = z.object({
  from: date.describe('First business date, inclusive'),
  to: date.describe('Last business date, inclusive'),
  branchIds: z
    .string()
    .regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/, 'comma-separated branch ids')
    .optional()
    .describe('Comma-separated; absent = every branch the caller may see'),
});
export class KpiQueryDto extends createZodDto(kpiQuerySchema) {}

export const splitBranchIds = (value: string | undefined): string[] => (value ? value.split(',') : []);
