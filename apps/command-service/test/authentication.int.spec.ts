import { mintToken } from '@ledger/auth';
import { TEST_AUDIENCE, TEST_ISSUER, testKeyPair, testToken } from '@ledger/testing';
import { generateKeyPairSync, createHmac } from 'node:crypto';
import { CommandApp, startCommandApp } from './command-app';

const base64url = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const claims = (overrides: object = {}) => ({
  sub: 'mallory',
  roles: ['admin'],
  iss: TEST_ISSUER,
  aud: TEST_AUDIENCE,
  exp: Math.floor(Date.now() / 1000) + 600,
  ...overrides,
});
const mint = (overrides: Partial<Parameters<typeof mintToken>[1]> = {}, key = testKeyPair().privateKey) =>
  mintToken(key, {
    subject: 'mallory',
    role: 'admin',
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    ttlSeconds: 600,
    ...overrides,
  });

describe('command service: authentication', () => {
  let service: CommandApp;
  beforeAll(async () => {
    service = await startCommandApp();
  });
  afterAll(() => service?.close());

  const open = (authorization?: string) => {
    const call = service.anonymous.post('/accounts').send({ ownerId: 'x', currency: 'EUR' });
    return authorization === undefined ? call : call.set('Authorization', authorization);
  };

  const refused: Array<[string, () => Promise<string | undefined>, string]> = [
    ['no Authorization header', async () => undefined, 'a bearer token is required'],
    ['a scheme other than Bearer', async () => `Basic ${base64url('a:b')}`, 'must be "Bearer <jwt>"'],
    ['a token that is no JWT', async () => 'Bearer not-a-token', 'must be "Bearer <jwt>"'],
    ['an expired token', async () => `Bearer ${await mint({ ttlSeconds: -60 })}`, 'expired'],
    ['a token not valid yet', async () => `Bearer ${await mint({ notBeforeSeconds: 600 })}`, 'nbf'],
    ['another issuer', async () => `Bearer ${await mint({ issuer: 'https://evil.example' })}`, 'iss'],
    ['another audience', async () => `Bearer ${await mint({ audience: 'other-api' })}`, 'aud'],
    [
      'a token signed by another key',
      async () => `Bearer ${await mint({}, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)}`,
      'signature',
    ],
    [
      'an unsigned token (alg none)',
      async () => `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims())}.`,
      'not accepted',
    ],
    [
      'an HS256 token keyed with the public key',
      async () => {
        const input = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims())}`;
        const signature = createHmac('sha256', testKeyPair().publicKeyPem).update(input).digest('base64url');
        return `Bearer ${input}.${signature}`;
      },
      'not accepted',
    ],
    [
      'a token without exp',
      async () => {
        const { SignJWT } = await import('jose');
        const token = await new SignJWT({ roles: ['admin'] })
          .setProtectedHeader({ alg: 'ES256' })
          .setSubject('mallory')
          .setIssuer(TEST_ISSUER)
          .setAudience(TEST_AUDIENCE)
          .sign(testKeyPair().privateKey);
        return `Bearer ${token}`;
      },
      'exp',
    ],
  ];

  it.each(refused)(
    'answers 401 problem+json with WWW-Authenticate to %s, and records nothing',
    async (_case, authorization, detail) => {
      const before = await service.eventCount();
      const response = await open(await authorization());
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="ledger"/);
      expect(response.body).toMatchObject({
        status: 401,
        title: 'Unauthorized',
        code: expect.stringMatching(/^(UNAUTHENTICATED|INVALID_TOKEN)$/),
      });
      expect(response.body.detail).toContain(detail);
      expect(await service.eventCount()).toBe(before);
    },
  );

  it('answers 403 to a valid token that carries no ledger role', async () => {
    const { SignJWT } = await import('jose');
    const token = await new SignJWT({ roles: ['auditor'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('mallory')
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('5m')
      .sign(testKeyPair().privateKey);
    const response = await open(`Bearer ${token}`).expect(403);
    expect(response.body).toMatchObject({
      code: 'FORBIDDEN',
      detail: 'the token carries no ledger role in claim "roles"',
    });
    expect(response.headers).not.toHaveProperty('www-authenticate');
  });

  it('records the verified subject and role as the actor; an X-Actor header changes nothing', async () => {
    const teller = await service.as('teller-7', 'teller');
    const { body } = await teller
      .post('/accounts')
      .set('X-Actor', 'someone-else')
      .send({ ownerId: 'ann', currency: 'EUR' })
      .expect(201);
    await teller
      .post(`/accounts/${body.accountId}/deposits`)
      .set('X-Actor', 'someone-else')
      .send({ amount: 5 })
      .expect(200);
    const { rows } = await service.sql.query(
      'select metadata from events where stream_id = $1 order by stream_version',
      [`account-${body.accountId}`],
    );
    expect(rows.map((row) => [row.metadata.actor, row.metadata.actorRole])).toEqual([
      ['teller-7', 'teller'],
      ['teller-7', 'teller'],
    ]);
  });

  it('keeps a well-formed correlation id and refuses a malformed or oversized one with 400, recording nothing', async () => {
    const { body } = await service.http
      .post('/accounts')
      .set('X-Correlation-Id', 'req-42.a:b_c')
      .send({ ownerId: 'ann', currency: 'EUR' })
      .expect(201);
    const { rows } = await service.sql.query('select metadata from events where stream_id = $1', [
      `account-${body.accountId}`,
    ]);
    expect(rows[0].metadata.correlationId).toBe('req-42.a:b_c');
    const before = await service.eventCount();
    for (const bad of ['has space', 'x'.repeat(129), 'semi;colon', 'ünï']) {
      const response = await service.http
        .post('/accounts')
        .set('X-Correlation-Id', bad)
        .send({ ownerId: 'ann', currency: 'EUR' });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: 'INVALID_HEADER',
        errors: [{ field: 'X-Correlation-Id', message: expect.any(String) }],
      });
    }
    expect(await service.eventCount()).toBe(before);
  });

  it('accepts the default test token on every call of the factory client', async () => {
    expect(await testToken()).toMatch(/^ey/);
    await service.http.get(`/accounts/00000000-0000-4000-8000-000000000000/state`).expect(404);
  });
});
