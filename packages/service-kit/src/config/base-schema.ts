import path from 'node:path';
import { z } from 'zod';

/** src/config or dist/config → repository root. Deployments set BRANCHES_FILE explicitly. */
export const DEFAULT_BRANCHES_FILE = path.resolve(__dirname, '../../../../config/branches.json');

const port = z.coerce.number().int().min(0).max(65535);
// mongodb:// URLs may list several hosts ("a:1,b:2"), which the WHATWG URL parser rejects.
const mongoUrl = z.string().regex(/^mongodb(\+srv)?:\/\/[^\s]+$/, 'Invalid MongoDB URL (mongodb://…)');

export interface BaseConfigDefaults {
  /** HTTP port when PORT is not set; each service has its own so they can run side by side locally. */
  port: number;
}

/**
 * The variables every service reads. Services extend it with their own:
 * `export const billingConfig = baseConfigSchema('billing', { port: 3004 }).extend({ … })`.
 */
export function baseConfigSchema(service: string, defaults: BaseConfigDefaults) {
  return z
    .object({
      PORT: port.default(defaults.port),
      GRPC_PORT: port.optional(),
      MONGO_URL: mongoUrl,
      MONGO_DB: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,63}$/, 'Invalid database name')
        .default(service.replace(/-/g, '_')),
      // Six services share one store; the local FerretDB has a PostgreSQL pool of 50 connections.
      MONGO_MAX_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
      AMQP_URL: z.url({ protocol: /^amqps?$/, error: 'Invalid URL' }),
      // Unacknowledged events in flight per consumer (= handler concurrency); keep it under the Mongo pool.
      AMQP_PREFETCH: z.coerce.number().int().min(1).max(1000).default(8),
      // Pause before each retry of a failing handler, e.g. "1000,10000,60000"; then the DLQ.
      AMQP_RETRY_DELAYS_MS: z
        .string()
        .regex(/^\d+(,\d+)*$/, 'comma-separated milliseconds, e.g. 1000,10000,60000')
        .default('1000,10000,60000')
        .transform((v) => v.split(',').map(Number)),
      LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      AUTH_JWKS_URL: z.url({ protocol: /^https?$/, error: 'Invalid URL' }).optional(),
      AUTH_ISSUER: z.string().min(1).default('aftersales'),
      AUTH_AUDIENCE: z.string().min(1).default('aftersales'),
      AUTH_DEV_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
      BRANCHES_FILE: z.string().min(1).default(DEFAULT_BRANCHES_FILE),
    })
    .refine((env) => Boolean(env.AUTH_JWKS_URL || env.AUTH_DEV_SECRET), {
      message: 'set AUTH_JWKS_URL (production) or AUTH_DEV_SECRET (local)',
      path: ['AUTH_JWKS_URL'],
      when: () => true, // report it together with every other bad variable, not only once they are fixed
    });
}

export type BaseConfig = z.output<ReturnType<typeof baseConfigSchema>>;
