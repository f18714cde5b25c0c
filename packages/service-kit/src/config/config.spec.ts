import { baseConfigSchema } from './base-schema';
import { envPrefix, loadConfig } from './config';

const schema = baseConfigSchema('call-intake', { port: 3001 });
const VALID = {
  MONGO_URL: 'mongodb://127.0.0.1:27017/',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
  AUTH_DEV_SECRET: 'a-development-secret-of-32-chars-or-more',
};

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** loadConfig with the exit and the error line captured instead of ending the test process. */
function load(env: Record<string, string>) {
  const lines: string[] = [];
  try {
    const config = loadConfig(schema, env, {
      service: 'call-intake',
      write: (line) => lines.push(line),
      exit: (code) => {
        throw new Exit(code);
      },
    });
    return { config, lines, code: undefined };
  } catch (err) {
    if (!(err instanceof Exit)) throw err;
    return { config: undefined, lines, code: err.code };
  }
}

describe('loadConfig', () => {
  it('applies the defaults of the service', () => {
    const { config } = load(VALID);
    expect(config).toMatchObject({
      PORT: 3001,
      MONGO_DB: 'call_intake',
      MONGO_MAX_POOL_SIZE: 10,
      AUTH_ISSUER: 'aftersales',
    });
    expect(config?.BRANCHES_FILE).toMatch(/config\/branches\.json$/);
  });

  it('lets <SERVICE>_MONGO_URL and <SERVICE>_AMQP_URL win, dashes becoming underscores', () => {
    expect(envPrefix('call-intake')).toBe('CALL_INTAKE');
    const { config } = load({
      ...VALID,
      CALL_INTAKE_MONGO_URL: 'mongodb://intake-db/',
      CALL_INTAKE_AMQP_URL: 'amqps://broker:5671',
      BILLING_MONGO_URL: 'mongodb://billing-db/',
    });
    expect(config).toMatchObject({ MONGO_URL: 'mongodb://intake-db/', AMQP_URL: 'amqps://broker:5671' });
  });

  it('makes the pool size overridable', () => {
    expect(load({ ...VALID, MONGO_MAX_POOL_SIZE: '50' }).config?.MONGO_MAX_POOL_SIZE).toBe(50);
  });

  it('needs a JWKS URL or a dev secret, reported with the other errors in one line', () => {
    const { AUTH_DEV_SECRET: _, ...rest } = VALID;
    const { code, lines } = load({ ...rest, AMQP_URL: 'http://x' });
    expect(code).toBe(1);
    expect(lines).toEqual([
      'config error: AMQP_URL: Invalid URL (got "http://x"); AUTH_JWKS_URL: set AUTH_JWKS_URL (production) or AUTH_DEV_SECRET (local) (missing)\n',
    ]);
    expect(load({ ...rest, AUTH_JWKS_URL: 'https://idp.example/jwks' }).code).toBeUndefined();
  });

  it('treats an empty value as not set', () => {
    expect(load({ ...VALID, MONGO_URL: '' }).lines).toEqual(['config error: MONGO_URL: not set\n']);
  });

  it('never echoes credentials', () => {
    const { lines } = load({ ...VALID, AMQP_URL: 'amqp://user:s3cret@host:bad', AUTH_DEV_SECRET: 'tooshort-s3cret' });
    expect(lines[0]).toContain('AMQP_URL: Invalid URL (got "amqp://***@host:bad")');
    expect(lines[0]).toContain('AUTH_DEV_SECRET: must be at least 32 characters (got 15 characters)');
    expect(lines[0]).not.toContain('s3cret');
  });

  it('accepts multi-host MongoDB URLs and rejects other schemes', () => {
    expect(load({ ...VALID, MONGO_URL: 'mongodb://a:27017,b:27017/?replicaSet=rs0' }).code).toBeUndefined();
    expect(load({ ...VALID, MONGO_URL: 'mysql://a' }).lines[0]).toMatch(
      /^config error: MONGO_URL: Invalid MongoDB URL/,
    );
  });
});
