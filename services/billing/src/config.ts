import { baseConfigSchema } from '@aftersales/service-kit';
import { z } from 'zod';

const minor = z.coerce.number().int().min(0);
const defaultParts = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not JSON' });
      return z.NEVER;
    }
  })
  .pipe(
    z.array(
      z.object({ partNo: z.string().min(1), description: z.string().min(1), priceMinor: z.number().int().min(0) }),
    ),
  );

/**
 * Billing's variables. The default price list seeded for a branch that has none (see PriceListService):
 * labour rate and call-out fee from here, currency and cash limit from the branch directory, parts from
 * BILLING_DEFAULT_PARTS (a JSON array of { partNo, description, priceMinor }; empty by default).
 */
export const billingConfig = baseConfigSchema('billing', { port: 3004 }).safeExtend({
  // safeExtend: the base schema has refinements; GRPC_PORT is optional there, billing always serves gRPC.
  GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(50054),
  BILLING_DEFAULT_LABOUR_RATE_MINOR: minor.default(4000),
  BILLING_DEFAULT_CALL_OUT_FEE_MINOR: minor.default(2500),
  BILLING_DEFAULT_PARTS: defaultParts.default([]),
  // How often the contract-expiry job runs for every branch's local date; 0 disables it (tests call runOnce).
  BILLING_EXPIRY_INTERVAL_MS: z.coerce.number().int().min(0).default(3_600_000),
});

export type BillingConfig = z.output<typeof billingConfig>;
