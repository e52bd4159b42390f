import { createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AuthConfig, AuthConfigError, assertUsableAuthConfig } from './config';
import { Principal, roleFromClaim, SUBJECT_PATTERN } from './principal';
import { VerifiedTokenCache } from './token-cache';

/** A request that proves no identity (401) or an identity without the rights (403). */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly status: 401 | 403,
    readonly code: 'UNAUTHENTICATED' | 'INVALID_TOKEN' | 'FORBIDDEN',
    message: string,
  ) {
    super(message);
  }
}

export interface Authenticator {
  /** The principal of an `Authorization` header value; throws AuthError. */
  authenticate(authorization: string | undefined): Promise<Principal>;
}

function keySource(config: AuthConfig): KeyObject | JWTVerifyGetKey {
  // jose keeps the key set in memory, refetches it at most every 30 s when a token names an unknown kid
  // (rotation), and treats it as stale after 10 minutes.
  if (config.AUTH_JWKS_URL)
    return createRemoteJWKSet(new URL(config.AUTH_JWKS_URL), {
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
    });
  try {
    const pem = config.AUTH_PUBLIC_KEY ?? readFileSync(config.AUTH_PUBLIC_KEY_FILE!, 'utf8');
    return createPublicKey(pem);
  } catch (error) {
    throw new AuthConfigError(
      `invalid configuration:\n  AUTH_PUBLIC_KEY${config.AUTH_PUBLIC_KEY ? '' : '_FILE'}: not a readable PEM public key (${(error as Error).message})`,
    );
  }
}

/** Verifies bearer JWTs with jose: signature, algorithm, exp, nbf, iss, aud, then subject and role. */
export class JwtAuthenticator implements Authenticator {
  private readonly key: KeyObject | JWTVerifyGetKey;
  /** Tokens already verified (AUTH_TOKEN_CACHE_SIZE; absent when 0). */
  private readonly verified: VerifiedTokenCache | undefined;

  constructor(private readonly config: AuthConfig) {
    assertUsableAuthConfig(config);
    this.key = keySource(config);
    const size = config.AUTH_TOKEN_CACHE_SIZE;
    this.verified = size > 0 ? new VerifiedTokenCache(size, config.AUTH_TOKEN_CACHE_TTL_S * 1000) : undefined;
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (!authorization)
      throw new AuthError(401, 'UNAUTHENTICATED', 'a bearer token is required (Authorization: Bearer <jwt>)');
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorization.trim());
    if (!match) throw new AuthError(401, 'INVALID_TOKEN', 'the Authorization header must be "Bearer <jwt>"');
    const token = match[1]!;
    const known = this.verified?.get(token);
    if (known) return known;
    const payload = await this.verify(token);
    const subject = payload.sub!;
    if (!SUBJECT_PATTERN.test(subject))
      throw new AuthError(401, 'INVALID_TOKEN', 'the token subject must be 1-128 printable characters');
    const role = roleFromClaim(payload[this.config.AUTH_ROLE_CLAIM]);
    if (!role)
      throw new AuthError(
        403,
        'FORBIDDEN',
        `the token carries no ledger role in claim "${this.config.AUTH_ROLE_CLAIM}"`,
      );
    const principal: Principal = Object.freeze({ subject, role });
    // Only now, with every check passed: a refused token is verified again (and refused) every time.
    this.verified?.set(token, principal, payload.exp!);
    return principal;
  }

  private async verify(token: string): Promise<JWTPayload> {
    const options = {
      issuer: this.config.AUTH_ISSUER,
      audience: this.config.AUTH_AUDIENCE,
      algorithms: this.config.AUTH_ALGORITHMS,
      clockTolerance: this.config.AUTH_CLOCK_TOLERANCE_S,
      requiredClaims: ['exp', 'sub'],
    };
    try {
      const { payload } =
        this.key instanceof KeyObject
          ? await jwtVerify(token, this.key, options)
          : await jwtVerify(token, this.key, options);
      return payload;
    } catch (error) {
      if (error instanceof errors.JOSEError) throw new AuthError(401, 'INVALID_TOKEN', describe(error));
      throw error;
    }
  }
}

// What the client may learn about a refused token: the failed check, never key material.
function describe(error: InstanceType<typeof errors.JOSEError>): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the token's ${error.claim} claim is not accepted (${error.reason})`;
  if (error instanceof errors.JOSEAlgNotAllowed)
    return 'the token is signed with an algorithm that is not accepted';
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
    return 'the token signature does not verify';
  if (error instanceof errors.JWKSTimeout || error.code === 'ERR_JWKS_INVALID')
    return 'the signing keys could not be fetched';
  return 'the token is not a valid signed JWT';
}
