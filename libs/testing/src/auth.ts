import { mintToken, type Role } from '@ledger/auth';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Issuer and audience the test key pair signs for; the apps under test are configured with them. */
export const TEST_ISSUER = 'ledger-test';
export const TEST_AUDIENCE = 'ledger';

let keys: { privateKey: KeyObject; publicKeyPem: string } | undefined;

/** One ES256 key pair per test process. */
export function testKeyPair(): { privateKey: KeyObject; publicKeyPem: string } {
  if (!keys) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    keys = { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  }
  return keys;
}

/** Environment that makes an app verify tokens of the test key pair (in-process apps). */
export function testAuthEnv(): Record<string, string> {
  return {
    AUTH_PUBLIC_KEY: testKeyPair().publicKeyPem,
    AUTH_ISSUER: TEST_ISSUER,
    AUTH_AUDIENCE: TEST_AUDIENCE,
  };
}

/** The same, with the public key in a file (apps started as processes). */
export function testAuthFileEnv(): Record<string, string> {
  const file = join(mkdtempSync(join(tmpdir(), 'ledger-auth-')), 'public-key.pem');
  writeFileSync(file, testKeyPair().publicKeyPem);
  return { AUTH_PUBLIC_KEY_FILE: file, AUTH_ISSUER: TEST_ISSUER, AUTH_AUDIENCE: TEST_AUDIENCE };
}

/** The subject of the default token the test factories send: an admin, so every route is open to it. */
export const DEFAULT_TEST_SUBJECT = 'test-admin';

/** A token of the test key pair for `subject` acting as `role`, valid for an hour. */
export function testToken(subject = DEFAULT_TEST_SUBJECT, role: Role = 'admin'): Promise<string> {
  return mintToken(testKeyPair().privateKey, {
    subject,
    role,
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    ttlSeconds: 3600,
  });
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
