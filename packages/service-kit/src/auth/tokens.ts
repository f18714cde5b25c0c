import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyResult } from 'jose';
import { z } from 'zod';
import { ROLES, type AuthUser, type Role } from './roles';

/**
 * For local development and tests only (`pnpm token`, mintDevToken). Production sets AUTH_JWKS_URL;
 * a service never falls back to this value — it must be given as AUTH_DEV_SECRET explicitly.
 */
export const DEFAULT_DEV_SECRET = 'aftersales-local-dev-secret-not-for-production';
export const DEFAULT_ISSUER = 'aftersales';
export const DEFAULT_AUDIENCE = 'aftersales';

const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().min(1),
  roles: z.array(z.enum(ROLES)).min(1),
  branchId: z.string().min(1),
});

export interface VerifierOptions {
  jwksUrl?: string;
  devSecret?: string;
  issuer: string;
  audience: string;
}

export class InvalidTokenError extends Error {}

/** Verifies bearer tokens: RS/ES-signed against the identity provider's JWKS, or HS256 with the dev secret. */
export class TokenVerifier {
  private readonly check: (token: string) => Promise<JWTVerifyResult>;

  constructor(options: VerifierOptions) {
    const claims = { issuer: options.issuer, audience: options.audience };
    if (options.jwksUrl) {
      // Fetched lazily and cached by jose, refetched when an unknown `kid` shows up (key rotation).
      const jwks = createRemoteJWKSet(new URL(options.jwksUrl));
      this.check = (token) => jwtVerify(token, jwks, claims);
    } else if (options.devSecret) {
      const secret = new TextEncoder().encode(options.devSecret);
      this.check = (token) => jwtVerify(token, secret, { ...claims, algorithms: ['HS256'] });
    } else {
      throw new Error('TokenVerifier needs a JWKS URL or a dev secret');
    }
  }

  async verify(token: string): Promise<AuthUser> {
    let payload: unknown;
    try {
      payload = (await this.check(token)).payload;
    } catch (err) {
      throw new InvalidTokenError((err as Error).message);
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      const detail = claims.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new InvalidTokenError(`token claims: ${detail}`);
    }
    return claims.data;
  }
}

export interface DevTokenOptions {
  roles: Role[];
  branchId: string;
  sub?: string;
  name?: string;
  /** jose duration, e.g. "8h", "15m". */
  ttl?: string;
  secret?: string;
  issuer?: string;
  audience?: string;
}

/** An HS256 token a service configured with the same AUTH_DEV_SECRET accepts. */
export async function mintDevToken(opts: DevTokenOptions): Promise<string> {
  const claims = claimsSchema.parse({
    sub: opts.sub ?? `dev-${opts.roles[0]}-${opts.branchId}`,
    name: opts.name ?? `Dev ${opts.roles[0]}`,
    roles: opts.roles,
    branchId: opts.branchId,
  });
  return new SignJWT({ name: claims.name, roles: claims.roles, branchId: claims.branchId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(opts.issuer ?? DEFAULT_ISSUER)
    .setAudience(opts.audience ?? DEFAULT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(opts.ttl ?? '8h')
    .sign(new TextEncoder().encode(opts.secret ?? DEFAULT_DEV_SECRET));
}
