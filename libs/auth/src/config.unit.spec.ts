import { generateKeyPairSync } from 'node:crypto';
import { z } from 'zod';
import { assertUsableAuthConfig, authEnvShape, LOCAL_ISSUER } from './config';
import { roleFromClaim } from './principal';
import { JwtAuthenticator } from './verifier';

const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();
const parse = (env: Record<string, string>) => ({
  ...z.object(authEnvShape).parse(env),
  NODE_ENV: env.NODE_ENV,
});

describe('authentication settings', () => {
  it('needs exactly one key source', () => {
    expect(() => assertUsableAuthConfig(parse({}))).toThrow(
      'set exactly one of AUTH_JWKS_URL, AUTH_PUBLIC_KEY, AUTH_PUBLIC_KEY_FILE',
    );
    expect(() =>
      assertUsableAuthConfig(parse({ AUTH_PUBLIC_KEY: pem, AUTH_JWKS_URL: 'https://idp.example/jwks' })),
    ).toThrow('exactly one');
    expect(() => assertUsableAuthConfig(parse({ AUTH_PUBLIC_KEY: pem }))).not.toThrow();
  });

  it('refuses the local issuer or a key under .stack/ in production unless explicitly allowed', () => {
    const production = { NODE_ENV: 'production', AUTH_PUBLIC_KEY: pem };
    expect(() => assertUsableAuthConfig(parse(production))).toThrow(
      `the local development key (issuer ${LOCAL_ISSUER}`,
    );
    expect(() =>
      assertUsableAuthConfig(
        parse({
          NODE_ENV: 'production',
          AUTH_ISSUER: 'https://idp.example',
          AUTH_PUBLIC_KEY_FILE: '/srv/app/.stack/auth/public-key.pem',
        }),
      ),
    ).toThrow('refused with NODE_ENV=production');
    expect(() =>
      assertUsableAuthConfig(parse({ ...production, AUTH_ALLOW_LOCAL_KEY: 'true' })),
    ).not.toThrow();
    expect(() =>
      assertUsableAuthConfig(parse({ ...production, AUTH_ISSUER: 'https://idp.example' })),
    ).not.toThrow();
    expect(() => assertUsableAuthConfig(parse({ AUTH_PUBLIC_KEY: pem }))).not.toThrow();
  });

  it('knows no symmetric algorithm: HS256 is refused at start', () => {
    expect(() => parse({ AUTH_ALGORITHMS: 'ES256,HS256' })).toThrow('HS256 is not supported');
    expect(parse({ AUTH_ALGORITHMS: 'RS256' }).AUTH_ALGORITHMS).toEqual(['RS256']);
  });

  it('refuses a public key that does not parse, naming the variable', () => {
    expect(() => new JwtAuthenticator(parse({ AUTH_PUBLIC_KEY_FILE: '/nonexistent.pem' }))).toThrow(
      'AUTH_PUBLIC_KEY_FILE: not a readable PEM public key',
    );
  });
});

describe('the role claim', () => {
  it.each([
    ['customer', 'customer'],
    [['customer', 'teller'], 'teller'],
    [['admin', 'customer'], 'admin'],
    ['teller admin', 'admin'],
    [['auditor', 'customer'], 'customer'],
    [['auditor'], undefined],
    [42, undefined],
    [undefined, undefined],
  ])('%j gives %s', (claim, role) => {
    expect(roleFromClaim(claim)).toBe(role);
  });
});
