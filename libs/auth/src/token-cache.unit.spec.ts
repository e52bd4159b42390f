import { generateKeyPairSync } from 'node:crypto';
import { z } from 'zod';
import { authEnvShape } from './config';
import { Role } from './principal';
import { VerifiedTokenCache } from './token-cache';
import { mintToken } from './tokens';
import { JwtAuthenticator } from './verifier';

// The verified-token cache must save work only: every answer is the one a fresh verification would give.
describe('verified-token cache', () => {
  const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKeyPem = signing.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const start = Date.parse('2026-06-01T12:00:00Z');

  // Only Date is faked: jose and the cache read the same clock, everything asynchronous runs for real.
  beforeEach(() => {
    jest.useFakeTimers({
      now: start,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
  });
  afterEach(() => jest.useRealTimers());

  const authenticator = (env: Record<string, string> = {}) =>
    new JwtAuthenticator(
      z.object(authEnvShape).parse({
        AUTH_PUBLIC_KEY: publicKeyPem,
        AUTH_ISSUER: 'https://idp.example',
        AUTH_CLOCK_TOLERANCE_S: '0',
        ...env,
      }),
    );
  const token = (
    options: { ttlSeconds?: number; role?: Role; subject?: string; key?: typeof signing.privateKey } = {},
  ) =>
    mintToken(options.key ?? signing.privateKey, {
      subject: options.subject ?? 'alice',
      role: options.role ?? 'teller',
      issuer: 'https://idp.example',
      audience: 'ledger',
      ttlSeconds: options.ttlSeconds ?? 60,
    });
  const advance = (ms: number) => jest.setSystemTime(Date.now() + ms);

  it('is on by default and answers a repeated token with the principal it verified', async () => {
    const verifier = authenticator();
    const jwt = await token();
    const first = await verifier.authenticate(`Bearer ${jwt}`);
    expect(first).toEqual({ subject: 'alice', role: 'teller' });
    expect(await verifier.authenticate(`Bearer ${jwt}`)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('never accepts a token at or after its exp, even one it verified before', async () => {
    const verifier = authenticator();
    const jwt = await token({ ttlSeconds: 30 });
    await verifier.authenticate(`Bearer ${jwt}`);
    advance(29_000);
    expect(await verifier.authenticate(`Bearer ${jwt}`)).toEqual({ subject: 'alice', role: 'teller' });
    advance(1_000);
    await expect(verifier.authenticate(`Bearer ${jwt}`)).rejects.toMatchObject({
      status: 401,
      message: 'the token has expired',
    });
  });

  it('refuses a remembered token once verification would, clock tolerance included', async () => {
    // jose accepts until exp + tolerance; the cache stops at exp, so the rest is verified afresh (and still
    // accepted by jose within the tolerance), then refused once the tolerance is over too.
    const verifier = authenticator({ AUTH_CLOCK_TOLERANCE_S: '5' });
    const jwt = await token({ ttlSeconds: 10 });
    await verifier.authenticate(`Bearer ${jwt}`);
    advance(12_000);
    expect(await verifier.authenticate(`Bearer ${jwt}`)).toEqual({ subject: 'alice', role: 'teller' });
    advance(4_000);
    await expect(verifier.authenticate(`Bearer ${jwt}`)).rejects.toMatchObject({ status: 401 });
  });

  it('never remembers a token whose verification failed', async () => {
    const verifier = authenticator();
    const forged = await token({ key: stranger.privateKey });
    for (let i = 0; i < 3; i++)
      await expect(verifier.authenticate(`Bearer ${forged}`)).rejects.toMatchObject({
        status: 401,
        message: 'the token signature does not verify',
      });
    const bad = await token({ subject: 'alice bob' });
    for (let i = 0; i < 2; i++)
      await expect(verifier.authenticate(`Bearer ${bad}`)).rejects.toMatchObject({ status: 401 });
  });

  it('verifies a different token afresh, even one that differs from a remembered token in one part', async () => {
    const verifier = authenticator();
    const jwt = await token({ role: 'customer' });
    expect(await verifier.authenticate(`Bearer ${jwt}`)).toEqual({ subject: 'alice', role: 'customer' });
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const elevated = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');
    await expect(verifier.authenticate(`Bearer ${header}.${elevated}.${signature}`)).rejects.toMatchObject({
      status: 401,
      message: 'the token signature does not verify',
    });
    const other = await token({ subject: 'bob', role: 'admin' });
    expect(await verifier.authenticate(`Bearer ${other}`)).toEqual({ subject: 'bob', role: 'admin' });
    expect(await verifier.authenticate(`Bearer ${jwt}`)).toEqual({ subject: 'alice', role: 'customer' });
  });

  it('remembers nothing when AUTH_TOKEN_CACHE_SIZE is 0', async () => {
    const verifier = authenticator({ AUTH_TOKEN_CACHE_SIZE: '0' });
    const jwt = await token();
    const first = await verifier.authenticate(`Bearer ${jwt}`);
    const second = await verifier.authenticate(`Bearer ${jwt}`);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
  });

  describe('VerifiedTokenCache', () => {
    const principal = Object.freeze({ subject: 'alice', role: 'teller' as const });
    let now = 1_000_000;
    const clock = () => now;

    it('keeps an entry no longer than its ttl when the token lives longer', () => {
      const cache = new VerifiedTokenCache(10, 5_000, clock);
      cache.set('t', principal, (now + 60_000) / 1000);
      now += 4_999;
      expect(cache.get('t')).toBe(principal);
      now += 1;
      expect(cache.get('t')).toBeUndefined();
    });

    it('keeps an entry until exp when the token expires before the ttl, and never stores an expired one', () => {
      const cache = new VerifiedTokenCache(10, 300_000, clock);
      cache.set('t', principal, (now + 2_000) / 1000);
      now += 1_999;
      expect(cache.get('t')).toBe(principal);
      now += 1;
      expect(cache.get('t')).toBeUndefined();
      cache.set('old', principal, now / 1000);
      expect(cache.get('old')).toBeUndefined();
    });

    it('holds at most its size, dropping the least recently used', () => {
      const cache = new VerifiedTokenCache(2, 300_000, clock);
      const exp = (now + 60_000) / 1000;
      cache.set('a', principal, exp);
      cache.set('b', principal, exp);
      cache.get('a');
      cache.set('c', principal, exp);
      expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([principal, undefined, principal]);
    });
  });
});
