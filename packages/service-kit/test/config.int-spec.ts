import { spawnSync } from 'node:child_process';
import path from 'node:path';

const TSX = path.resolve(__dirname, '../node_modules/.bin/tsx');
const FIXTURE = path.join(__dirname, 'fixtures/config-main.ts');
const VALID = {
  MONGO_URL: 'mongodb://127.0.0.1:27017/',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
  AUTH_DEV_SECRET: 'a-development-secret-of-32-chars-or-more',
};

/** Starts a real process with exactly `env` (plus PATH), as a deployment would. */
function start(env: Record<string, string>) {
  const run = spawnSync(TSX, [FIXTURE], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('loadConfig in a real process', () => {
  it('exits 1 with one line naming a missing variable', () => {
    const { MONGO_URL: _, ...rest } = VALID;
    const run = start(rest);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('config error: MONGO_URL: not set\n');
    expect(run.stdout).toBe('');
  });

  it('exits 1 with one line naming a malformed variable and what was given', () => {
    const run = start({ ...VALID, AMQP_URL: 'nope' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('config error: AMQP_URL: Invalid URL (got "nope")\n');
  });

  it('names the per-service variable when that is the bad one, and every bad variable at once', () => {
    const run = start({ ...VALID, BILLING_MONGO_URL: 'postgres://x', PORT: 'eighty', AUTH_DEV_SECRET: 'short' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^config error: /);
    expect(run.stderr).toContain('BILLING_MONGO_URL: Invalid MongoDB URL (mongodb://…) (got "postgres://x")');
    expect(run.stderr).toContain('PORT: ');
    expect(run.stderr).toContain('AUTH_DEV_SECRET: must be at least 32 characters (got 5 characters)');
    expect(run.stderr).not.toContain('short');
  });

  it('starts with a valid environment; the per-service URL wins over the shared one', () => {
    const run = start({ ...VALID, BILLING_MONGO_URL: 'mongodb://billing-db:27017/' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      PORT: 3004,
      MONGO_URL: 'mongodb://billing-db:27017/',
      MONGO_DB: 'billing',
      MONGO_MAX_POOL_SIZE: 10,
      LOG_LEVEL: 'info',
    });
  });
});
