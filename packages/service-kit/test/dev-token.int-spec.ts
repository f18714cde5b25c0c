import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { TokenVerifier } from '../src/auth/tokens';

const TSX = path.resolve(__dirname, '../node_modules/.bin/tsx');
const CLI = path.resolve(__dirname, '../src/cli/dev-token.ts');
const SECRET = 'cli-test-secret-with-more-than-32-chars';

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(TSX, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 });

describe('dev-token CLI', () => {
  it('prints only a token that a service with the same secret accepts', async () => {
    const out = run(['--role', 'clerk', '--branch', 'br-north', '--sub', 'u1', '--name', 'Ana', '--ttl', '1h'], {
      AUTH_DEV_SECRET: SECRET,
    });
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const verifier = new TokenVerifier({ devSecret: SECRET, issuer: 'aftersales', audience: 'aftersales' });
    await expect(verifier.verify(out.stdout.trim())).resolves.toEqual({
      sub: 'u1',
      name: 'Ana',
      roles: ['clerk'],
      branchId: 'br-north',
    });
  });

  it('refuses an unknown role with usage on stderr', () => {
    const out = run(['--role', 'admin', '--branch', 'br-north']);
    expect(out.status).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/unknown role: admin/);
  });
});
