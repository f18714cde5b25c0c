import { baseConfigSchema } from '@aftersales/service-kit';
import { z } from 'zod';

const ms = z.coerce.number().int().min(1);

export const callIntakeConfig = baseConfigSchema('call-intake', { port: 3001 }).safeExtend({
  GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(50051),
  /** billing's gRPC Coverage service, host:port. */
  BILLING_GRPC_URL: z.string().min(1).default('127.0.0.1:50054'),
  /** [6] Deadline for GetCoverage while a clerk waits: past it the call is registered as provisional. */
  BILLING_GRPC_DEADLINE_MS: ms.default(800),
  /** Bearer token for billing; without it a dev token is minted with AUTH_DEV_SECRET (local only). */
  BILLING_GRPC_TOKEN: z.string().min(1).optional(),
  /** How often the scheduler looks for pending coverage and for branches whose business day ended. */
  SCHEDULER_INTERVAL_MS: ms.default(60_000),
  /** 0 disables the in-process scheduler (tests drive `runOnce(now)` directly). */
  SCHEDULER_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** First pause before asking billing again about a provisional call; doubles per attempt up to the max. */
  COVERAGE_RETRY_BASE_MS: ms.default(30_000),
  COVERAGE_RETRY_MAX_MS: ms.default(30 * 60_000),
});
export type CallIntakeConfig = z.output<typeof callIntakeConfig>;
