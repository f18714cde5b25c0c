import { baseConfigSchema } from '@aftersales/service-kit';
import { z } from 'zod';

const ms = z.coerce.number().int().min(1);

export const dispatchConfig = baseConfigSchema('dispatch', { port: 3002 }).safeExtend({
  /** billing's gRPC Pricing service, host:port. */
  BILLING_GRPC_URL: z.string().min(1).default('127.0.0.1:50054'),
  /** [10] Deadline for Pricing.Quote while the technician waits on site; past it the fee is left to invoice. */
  BILLING_GRPC_DEADLINE_MS: ms.default(800),
  /** Bearer token dispatch presents to billing; without it the technician's own token is forwarded. */
  BILLING_GRPC_TOKEN: z.string().min(1).optional(),
  /** [19] How often the SLA scheduler looks at jobs awaiting a technician. */
  SLA_CHECK_INTERVAL_MS: ms.default(60_000),
  /** false disables the in-process scheduler (tests drive `runOnce(now)` directly). */
  SLA_SCHEDULER_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** [19] dispatch.sla.at-risk.v1 is raised once at most this many working minutes are left before the due time. */
  SLA_AT_RISK_WORKING_MINUTES: z.coerce.number().int().min(1).max(419).default(60),
});
export type DispatchConfig = z.output<typeof dispatchConfig>;
