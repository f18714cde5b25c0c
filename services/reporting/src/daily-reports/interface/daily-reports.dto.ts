import { createZodDto } from '@aftersales/service-kit';
import { z } from 'zod';
import { D_KINDS } from '../domain/technician-report';

export const dEntrySchema = z.object({
  kind: z.enum(D_KINDS).describe('[6] D: inspection, spare-parts management, equipment upkeep, short training'),
  minutes: z.number().int().min(1).max(1440),
  note: z.string().max(500).optional(),
});
export class DEntryDto extends createZodDto(dEntrySchema) {}

export const listReportsSchema = z.object({
  businessDate: z.iso.date().optional(),
  pageSize: z.coerce.number().int().min(0).max(1000).optional(),
  pageToken: z.string().max(100).optional(),
});
export class ListReportsDto extends createZodDto(listReportsSchema) {}
