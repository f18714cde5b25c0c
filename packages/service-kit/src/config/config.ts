import { z } from 'zod';

/** Variables a deployment may set per service, e.g. BILLING_MONGO_URL, so services can share one env file. */
const OVERRIDABLE = ['MONGO_URL', 'AMQP_URL'] as const;

/** Values that must never be echoed back in an error line. */
const SECRET_KEY = /SECRET|PASSWORD|TOKEN|KEY/i;

export interface LoadConfigOptions {
  /** Service name; enables the `<SERVICE>_MONGO_URL` / `<SERVICE>_AMQP_URL` overrides. */
  service?: string;
  /** Injectable for unit tests; the real one ends the process. */
  exit?: (code: number) => never;
  /** Where the one-line error goes (stderr by default). */
  write?: (line: string) => void;
}

/** `call-intake` → `CALL_INTAKE`: the prefix of a service's own variables. */
export const envPrefix = (service: string): string => service.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/**
 * Validates the environment once at start-up. A bad deployment should die at once with a line an operator
 * can act on (every bad variable, what is wrong, what was given), not limp on and fail at the first request.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): z.output<S> {
  const { input, origin } = resolveEnv(env, options.service);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '(env)');
    const name = origin[key] ?? key;
    if (input[key] === undefined && issue.code === 'invalid_type') return `${name}: not set`;
    return `${name}: ${issue.message} (${describe(name, input[key])})`;
  });
  (options.write ?? ((line) => process.stderr.write(line)))(`config error: ${[...new Set(problems)].join('; ')}\n`);
  return (options.exit ?? ((code) => process.exit(code)))(1);
}

/** Drops empty values (`FOO=` in an env file means "not set") and applies the per-service overrides. */
function resolveEnv(env: NodeJS.ProcessEnv, service?: string) {
  const input: Record<string, string> = {};
  const origin: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') input[key] = value;
  if (service) {
    for (const key of OVERRIDABLE) {
      const own = `${envPrefix(service)}_${key}`;
      if (input[own] !== undefined) {
        input[key] = input[own];
        origin[key] = own;
      }
    }
  }
  return { input, origin };
}

function describe(name: string, value: string | undefined): string {
  if (value === undefined) return 'missing';
  if (SECRET_KEY.test(name)) return `got ${value.length} characters`;
  // Credentials inside URLs stay out of logs too.
  return `got ${JSON.stringify(value.replace(/\/\/[^/@\s]*@/, '//***@'))}`;
}
