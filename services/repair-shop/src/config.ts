import { baseConfigSchema } from '@aftersales/service-kit';
import { z } from 'zod';

export const repairShopConfig = baseConfigSchema('repair-shop', { port: 3003 }).safeExtend({
  /** [14] How often the overdue scheduler looks for repairs past their scheduled date. */
  OVERDUE_CHECK_INTERVAL_MS: z.coerce.number().int().min(1).default(60_000),
  /** false disables the in-process scheduler (tests drive `runOnce(now)` directly). */
  OVERDUE_SCHEDULER_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});
export type RepairShopConfig = z.output<typeof repairShopConfig>;
