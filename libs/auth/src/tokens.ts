import { SignJWT } from 'jose';
import { createPrivateKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from './principal';

export interface TokenClaims {
  subject: string;
  role: Role;
  issuer: string;
  audience: string;
  /** Seconds from now; negative for an expired token (tests). */
  ttlSeconds: number;
  /** Seconds from now before which the token is not valid. */
  notBeforeSeconds?: number;
  roleClaim?: string;
}

/** Signs an ES256 (or RS256, by key type) token with the given private key. */
export async function mintToken(privateKey: KeyObject, claims: TokenClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const alg = privateKey.asymmetricKeyType === 'rsa' ? 'RS256' : 'ES256';
  const jwt = new SignJWT({ [claims.roleClaim ?? 'roles']: [claims.role] })
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + claims.ttlSeconds);
  if (claims.notBeforeSeconds !== undefined) jwt.setNotBefore(now + claims.notBeforeSeconds);
  return jwt.sign(privateKey);
}

export const LOCAL_KEY_FILES = { privateKey: 'signing-key.pem', publicKey: 'public-key.pem' } as const;

/**
 * The local development key pair (ES256) in `dir`, generated on first use. The private key file is
 * readable by its owner only.
 */
export function ensureLocalKeyPair(dir: string): {
  privateKeyFile: string;
  publicKeyFile: string;
  created: boolean;
} {
  const privateKeyFile = join(dir, LOCAL_KEY_FILES.privateKey);
  const publicKeyFile = join(dir, LOCAL_KEY_FILES.publicKey);
  if (existsSync(privateKeyFile) && existsSync(publicKeyFile))
    return { privateKeyFile, publicKeyFile, created: false };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  chmodSync(privateKeyFile, 0o600);
  writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  return { privateKeyFile, publicKeyFile, created: true };
}

export const readPrivateKey = (file: string): KeyObject => createPrivateKey(readFileSync(file, 'utf8'));
