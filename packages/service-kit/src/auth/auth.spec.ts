import { SignJWT } from 'jose';
import { ForbiddenError } from '../errors/domain-errors';
import { assertBranchAccess, ROLES, type AuthUser } from './roles';
import { DEFAULT_DEV_SECRET, InvalidTokenError, mintDevToken, TokenVerifier } from './tokens';

const verifier = new TokenVerifier({ devSecret: DEFAULT_DEV_SECRET, issuer: 'aftersales', audience: 'aftersales' });

describe('dev tokens', () => {
  it('round-trip: minted claims come back as the user', async () => {
    const token = await mintDevToken({ roles: ['clerk'], branchId: 'br-north', sub: 'u1', name: 'Ana' });
    await expect(verifier.verify(token)).resolves.toEqual({
      sub: 'u1',
      name: 'Ana',
      roles: ['clerk'],
      branchId: 'br-north',
    });
  });

  it('rejects another secret, issuer or audience, and expired tokens', async () => {
    const base = { roles: ['clerk' as const], branchId: 'br-north' };
    await expect(verifier.verify(await mintDevToken({ ...base, secret: 'y'.repeat(32) }))).rejects.toThrow(
      InvalidTokenError,
    );
    await expect(verifier.verify(await mintDevToken({ ...base, issuer: 'someone-else' }))).rejects.toThrow(/iss/);
    await expect(verifier.verify(await mintDevToken({ ...base, audience: 'other-api' }))).rejects.toThrow(/aud/);
    await expect(verifier.verify(await mintDevToken({ ...base, ttl: '-1m' }))).rejects.toThrow(/exp/);
  });

  it('rejects unknown roles and missing claims even when the signature is good', async () => {
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('u1')
        .setIssuer('aftersales')
        .setAudience('aftersales')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(DEFAULT_DEV_SECRET));
    await expect(verifier.verify(await sign({ name: 'A', roles: ['admin'], branchId: 'br-north' }))).rejects.toThrow(
      /roles/,
    );
    await expect(verifier.verify(await sign({ name: 'A', roles: ['clerk'] }))).rejects.toThrow(/branchId/);
  });

  it('refuses "alg: none" tokens', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({
        sub: 'u',
        name: 'A',
        roles: ['service-dept'],
        branchId: 'x',
        iss: 'aftersales',
        aud: 'aftersales',
      }),
    ).toString('base64url');
    await expect(verifier.verify(`${header}.${body}.`)).rejects.toThrow(InvalidTokenError);
  });
});

describe('assertBranchAccess', () => {
  const user = (roles: AuthUser['roles'], branchId = 'br-north'): AuthUser => ({
    sub: 'u',
    name: 'U',
    roles,
    branchId,
  });

  it('lets branch roles see only their own branch', () => {
    for (const role of ['clerk', 'director', 'technician', 'accountant', 'manager'] as const) {
      expect(() => assertBranchAccess(user([role]), 'br-north')).not.toThrow();
      expect(() => assertBranchAccess(user([role]), 'br-south')).toThrow(ForbiddenError);
    }
  });

  it('lets head-office roles see every branch', () => {
    for (const role of ['service-dept', 'deputy-gm', 'integrator'] as const) {
      expect(() => assertBranchAccess(user([role], 'head-office'), 'br-south')).not.toThrow();
    }
  });

  it('knows exactly the roles of the domain', () => {
    expect([...ROLES].sort()).toEqual(
      ['accountant', 'clerk', 'deputy-gm', 'director', 'integrator', 'manager', 'service-dept', 'technician'].sort(),
    );
  });
});
