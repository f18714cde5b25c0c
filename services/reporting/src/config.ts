import { baseConfigSchema } from '@aftersales/service-kit';
import { z } from 'zod';

export const reportingConfig = baseConfigSchema('reporting', { port: 3005 }).safeExtend({
  GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(50055),
  /** Longest KPI period one query may ask for, in days (a query reads at most days × branches documents). */
  KPI_MAX_DAYS: z.coerce.number().int().min(1).max(3660).default(366),
});
export type ReportingConfig = z.output<typeof reportingConfig>;
