import { z } from 'zod';

/** Issuer of the tokens `npm start` mints with the key pair it generates under .stack/auth. */
export const LOCAL_ISSUER = 'ledger-local';

const ASYMMETRIC = ['ES256', 'ES384', 'RS256', 'RS384', 'RS512', 'PS256', 'EdDSA'] as const;
const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((value) => value === 'true');

/**
 * Settings of token verification, shared by the HTTP APIs (spread into each app's schema). Keys come from
 * a JWKS URL (cached, refetched on an unknown `kid`) or a public key (PEM text or file). Only asymmetric
 * algorithms exist: a shared HS256 secret would let every verifier mint tokens.
 */
export const authEnvShape = {
  AUTH_ISSUER: z.string().min(1).default(LOCAL_ISSUER),
  AUTH_AUDIENCE: z.string().min(1).default('ledger'),
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_PUBLIC_KEY: z.string().includes('-----BEGIN PUBLIC KEY-----').optional(),
  AUTH_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  AUTH_ALGORITHMS: z
    .string()
    .default('ES256,RS256')
    .transform((value) => value.split(',').map((alg) => alg.trim()))
    .pipe(
      z
        .array(
          z.enum(ASYMMETRIC, { message: `algorithms are ${ASYMMETRIC.join(', ')} (HS256 is not supported)` }),
        )
        .min(1),
    ),
  /** Claim holding the role(s): a string or an array; the strongest of customer < teller < admin wins. */
  AUTH_ROLE_CLAIM: z.string().min(1).default('roles'),
  AUTH_CLOCK_TOLERANCE_S: z.coerce.number().int().min(0).max(300).default(5),
  /**
   * Tokens remembered after a successful verification, each until its `exp` at the latest and for at most
   * AUTH_TOKEN_CACHE_TTL_S (so a key withdrawn from a JWKS stops being honoured as it would anyway); 0 turns
   * the cache off. A client sends the same token with every request until it expires: verifying its
   * signature again each time is most of the cost of authentication.
   */
  AUTH_TOKEN_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  AUTH_TOKEN_CACHE_TTL_S: z.coerce.number().int().min(1).max(3600).default(300),
  /** With NODE_ENV=production the local issuer and keys under .stack/ are refused unless this is true. */
  AUTH_ALLOW_LOCAL_KEY: flag('false'),
  /** /metrics without a token (true), or for admins only (false). */
  AUTH_PUBLIC_METRICS: flag('true'),
  /** OpenAPI at /docs and /docs-json (true) or not served at all (false). */
  HTTP_DOCS: flag('true'),
};

export type AuthConfig = z.infer<z.ZodObject<typeof authEnvShape>> & { NODE_ENV?: string };

export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';
}

/**
 * Refuses settings that cannot be safe: no key source, two key sources, or, in production, the local
 * development issuer or key without AUTH_ALLOW_LOCAL_KEY=true.
 */
export function assertUsableAuthConfig(config: AuthConfig): void {
  const sources = [config.AUTH_JWKS_URL, config.AUTH_PUBLIC_KEY, config.AUTH_PUBLIC_KEY_FILE].filter(Boolean);
  if (sources.length !== 1) {
    throw new AuthConfigError(
      'invalid configuration:\n  set exactly one of AUTH_JWKS_URL, AUTH_PUBLIC_KEY, AUTH_PUBLIC_KEY_FILE (the key that verifies bearer tokens)',
    );
  }
  const local =
    config.AUTH_ISSUER === LOCAL_ISSUER || /(^|[\\/])\.stack[\\/]/.test(config.AUTH_PUBLIC_KEY_FILE ?? '');
  if (config.NODE_ENV === 'production' && local && !config.AUTH_ALLOW_LOCAL_KEY) {
    throw new AuthConfigError(
      `invalid configuration:\n  AUTH_ISSUER/AUTH_PUBLIC_KEY_FILE: the local development key (issuer ${LOCAL_ISSUER}, keys under .stack/) is refused with NODE_ENV=production; configure your identity provider, or set AUTH_ALLOW_LOCAL_KEY=true`,
    );
  }
}
