import { exportJWK } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { z } from 'zod';
import { authEnvShape } from './config';
import { mintToken } from './tokens';
import { JwtAuthenticator } from './verifier';

// Keys from a JWKS URL, served by a local HTTP server as an identity provider would.
describe('verification with a JWKS URL', () => {
  const current = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const unpublished = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let server: Server;
  let url: string;
  let fetches = 0;

  beforeAll(async () => {
    const jwk = { ...(await exportJWK(current.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = createServer((_, response) => {
      fetches++;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const authenticator = () =>
    new JwtAuthenticator({
      ...z
        .object(authEnvShape)
        .parse({ AUTH_JWKS_URL: url, AUTH_ISSUER: 'https://idp.example', AUTH_AUDIENCE: 'ledger' }),
    });
  const token = (key = current.privateKey) =>
    mintToken(key, {
      subject: 'alice',
      role: 'teller',
      issuer: 'https://idp.example',
      audience: 'ledger',
      ttlSeconds: 60,
    });

  it('verifies tokens against the published keys, fetching the key set once for many tokens', async () => {
    const verifier = authenticator();
    for (let i = 0; i < 5; i++)
      expect(await verifier.authenticate(`Bearer ${await token()}`)).toEqual({
        subject: 'alice',
        role: 'teller',
      });
    expect(fetches).toBe(1);
  });

  it('refuses a token signed by a key the provider does not publish', async () => {
    await expect(
      authenticator().authenticate(`Bearer ${await token(unpublished.privateKey)}`),
    ).rejects.toMatchObject({
      status: 401,
      message: 'the token signature does not verify',
    });
  });
});
