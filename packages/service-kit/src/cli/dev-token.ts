#!/usr/bin/env node
/**
 * Mints a development token and prints only the token, so it composes with shells:
 *   TOKEN=$(npx tsx packages/service-kit/src/cli/dev-token.ts --role clerk --branch br-north)
 *   curl -H "Authorization: Bearer $TOKEN" localhost:3001/calls
 * Options: --role (repeatable) --branch [--sub u1] [--name Ana] [--ttl 8h].
 * Signs with AUTH_DEV_SECRET, or the documented DEFAULT_DEV_SECRET when unset (local use only);
 * AUTH_ISSUER / AUTH_AUDIENCE are honoured like the services do.
 */
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../auth/roles';
import { mintDevToken } from '../auth/tokens';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      branch: { type: 'string' },
      sub: { type: 'string' },
      name: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
    },
  });
  const roles = values.role ?? [];
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (!roles.length || unknown.length || !values.branch) {
    process.stderr.write(
      `usage: dev-token --role <${ROLES.join('|')}> --branch <branchId> [--sub id] [--name text] [--ttl 8h]\n` +
        (unknown.length ? `unknown role: ${unknown.join(', ')}\n` : ''),
    );
    process.exit(2);
  }
  const token = await mintDevToken({
    roles: roles as Role[],
    branchId: values.branch,
    sub: values.sub,
    name: values.name,
    ttl: values.ttl,
    secret: process.env.AUTH_DEV_SECRET || undefined,
    issuer: process.env.AUTH_ISSUER || undefined,
    audience: process.env.AUTH_AUDIENCE || undefined,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`dev-token: ${err.message}\n`);
  process.exit(1);
});
