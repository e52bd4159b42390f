import { accountStreamId } from '@ledger/domain';
import { CommandApp, startCommandApp } from './command-app';

describe('command service: accounts', () => {
  let service: CommandApp;
  beforeAll(async () => {
    service = await startCommandApp();
  });
  afterAll(() => service.close());

  async function openAccount(body: object = { ownerId: 'owner-1', currency: 'EUR' }): Promise<string> {
    const response = await service.http.post('/accounts').send(body).expect(201);
    return response.body.accountId;
  }

  it('opens an account and answers with its id, version and consistency token', async () => {
    const response = await service.http
      .post('/accounts')
      .send({ ownerId: 'owner-1', currency: 'EUR', overdraftLimit: 1000 })
      .expect(201);
    expect(response.body).toMatchObject({
      accountId: expect.any(String),
      streamId: `account-${response.body.accountId}`,
      version: 1,
      globalPosition: expect.any(Number),
      replayed: false,
      account: { status: 'open', currency: 'EUR', balance: 0, availableBalance: 1000 },
    });
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers.location).toBe(`/accounts/${response.body.accountId}`);
  });

  it('deposits, withdraws within the overdraft, and refuses to go below it', async () => {
    const id = await openAccount({ ownerId: 'o', currency: 'EUR', overdraftLimit: 500 });
    const deposited = await service.http
      .post(`/accounts/${id}/deposits`)
      .send({ amount: 1000, reference: 'salary' })
      .expect(200);
    expect(deposited.body).toMatchObject({
      accountId: id,
      account: { status: 'open', currency: 'EUR', balance: 1000, availableBalance: 1500 },
    });
    const withdrawn = await service.http
      .post(`/accounts/${id}/withdrawals`)
      .send({ amount: 1500 })
      .expect(200);
    expect(withdrawn.body.version).toBe(3);
    // The balance the withdrawal produced, from its own events: no read model involved.
    expect(withdrawn.body.account).toEqual({
      status: 'open',
      currency: 'EUR',
      balance: -500,
      availableBalance: 0,
    });
    const refused = await service.http.post(`/accounts/${id}/withdrawals`).send({ amount: 1 }).expect(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 422, code: 'INSUFFICIENT_FUNDS' });
    expect(await service.eventCount(accountStreamId(id))).toBe(3);
  });

  it('freezes (credits only), unfreezes, and closes only at zero balance', async () => {
    const id = await openAccount();
    await service.http.post(`/accounts/${id}/deposits`).send({ amount: 300 }).expect(200);
    const frozen = await service.http
      .post(`/accounts/${id}/freeze`)
      .send({ reason: 'fraud check' })
      .expect(200);
    expect(frozen.body.account).toMatchObject({ status: 'frozen', balance: 300 });
    expect(
      (await service.http.post(`/accounts/${id}/withdrawals`).send({ amount: 1 }).expect(422)).body.code,
    ).toBe('ACCOUNT_FROZEN');
    await service.http.post(`/accounts/${id}/deposits`).send({ amount: 1 }).expect(200);
    await service.http.post(`/accounts/${id}/unfreeze`).send({}).expect(200);
    expect((await service.http.post(`/accounts/${id}/close`).send({}).expect(422)).body.code).toBe(
      'NON_ZERO_BALANCE',
    );
    await service.http.post(`/accounts/${id}/withdrawals`).send({ amount: 301 }).expect(200);
    await service.http.post(`/accounts/${id}/close`).send({}).expect(200);
    expect(
      (await service.http.post(`/accounts/${id}/deposits`).send({ amount: 1 }).expect(422)).body.code,
    ).toBe('ACCOUNT_CLOSED');
  });

  it('refuses a movement in another currency and one on an unknown account', async () => {
    const id = await openAccount();
    expect(
      (await service.http.post(`/accounts/${id}/deposits`).send({ amount: 5, currency: 'USD' }).expect(422))
        .body.code,
    ).toBe('CURRENCY_MISMATCH');
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(
      (await service.http.post(`/accounts/${unknown}/deposits`).send({ amount: 5 }).expect(404)).body.code,
    ).toBe('ACCOUNT_NOT_FOUND');
  });

  it("answers a transfer request with the transfer's status and takes the source's currency", async () => {
    const from = await openAccount();
    const to = await openAccount();
    const response = await service.http
      .post('/transfers')
      .send({ fromAccountId: from, toAccountId: to, amount: 5 })
      .expect(202);
    expect(response.body).toMatchObject({
      transferId: expect.any(String),
      version: 1,
      transfer: { status: 'requested' },
    });
    expect(response.headers.location).toBe(`/transfers/${response.body.transferId}`);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const refused = await service.http
      .post('/transfers')
      .send({ fromAccountId: from, toAccountId: unknown, amount: 5 })
      .expect(404);
    expect(refused.body).toMatchObject({
      code: 'ACCOUNT_NOT_FOUND',
      detail: `destination account ${unknown} does not exist`,
    });
  });

  it('enforces the daily withdrawal limit', async () => {
    const id = await openAccount({ ownerId: 'o', currency: 'EUR', dailyWithdrawalLimit: 100 });
    await service.http.post(`/accounts/${id}/deposits`).send({ amount: 1000 }).expect(200);
    await service.http.post(`/accounts/${id}/withdrawals`).send({ amount: 60 }).expect(200);
    expect(
      (await service.http.post(`/accounts/${id}/withdrawals`).send({ amount: 41 }).expect(422)).body.code,
    ).toBe('DAILY_LIMIT_EXCEEDED');
  });

  describe('bad input is refused with problem+json and changes nothing', () => {
    let id: string;
    let before: number;
    beforeAll(async () => {
      id = await openAccount();
    });
    beforeEach(async () => {
      before = await service.eventCount();
    });
    afterEach(async () => {
      expect(await service.eventCount()).toBe(before);
    });

    it.each([
      ['an unknown field', { amount: 5, extra: true }, 'extra'],
      ['a string amount', { amount: '5' }, 'amount'],
      ['a negative amount', { amount: -5 }, 'amount'],
      ['a zero amount', { amount: 0 }, 'amount'],
      ['a fractional amount', { amount: 1.5 }, 'amount'],
      ['an amount beyond safe integers', { amount: 2 ** 60 }, 'amount'],
      ['a lower-case currency', { amount: 5, currency: 'eur' }, 'currency'],
      ['no amount', {}, 'amount'],
    ])('%s', async (_, body, field) => {
      const response = await service.http.post(`/accounts/${id}/deposits`).send(body).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    });

    it('a body that is not JSON', async () => {
      const response = await service.http
        .post(`/accounts/${id}/deposits`)
        .set('Content-Type', 'application/json')
        .send('{"amount":')
        .expect(400);
      expect(response.body.detail).toBe('request body is not valid JSON');
    });

    it('an oversized body', async () => {
      await service.http
        .post(`/accounts/${id}/deposits`)
        .send({ amount: 5, reference: 'x'.repeat(20_000) })
        .expect(413);
    });

    it('an account id that is not a UUID', async () => {
      await service.http.post('/accounts/not-a-uuid/deposits').send({ amount: 5 }).expect(400);
    });

    it('an open-account body with a wrong type', async () => {
      await service.http.post('/accounts').send({ ownerId: 42, currency: 'EUR' }).expect(400);
    });

    it('a field sent to a command that takes none', async () => {
      const response = await service.http.post(`/accounts/${id}/close`).send({ force: true }).expect(400);
      expect(response.body.errors).toEqual([{ field: 'force', message: 'property force should not exist' }]);
    });

    it('a malformed If-Match', async () => {
      await service.http
        .post(`/accounts/${id}/deposits`)
        .set('If-Match', 'yesterday')
        .send({ amount: 5 })
        .expect(400);
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a repeat with the first result and writes once', async () => {
      const first = await service.http
        .post('/accounts')
        .set('Idempotency-Key', 'open-42')
        .send({ ownerId: 'k', currency: 'EUR' })
        .expect(201);
      const repeat = await service.http
        .post('/accounts')
        .set('Idempotency-Key', 'open-42')
        .send({ ownerId: 'k', currency: 'EUR' })
        .expect(201);
      expect(repeat.body).toEqual({ ...first.body, replayed: true });
      expect(repeat.headers['idempotent-replayed']).toBe('true');
      const deposit = () =>
        service.http
          .post(`/accounts/${first.body.accountId}/deposits`)
          .set('Idempotency-Key', 'dep-1')
          .send({ amount: 10 });
      const deposited = await deposit().expect(200);
      await service.http.post(`/accounts/${first.body.accountId}/deposits`).send({ amount: 5 }).expect(200);
      // A repeat shows the account as the first answer left it, not as it is now.
      expect((await deposit().expect(200)).body).toEqual({ ...deposited.body, replayed: true });
      expect(deposited.body.account.balance).toBe(10);
      expect(await service.eventCount(first.body.streamId)).toBe(3);
    });

    it('refuses the same key with a different request', async () => {
      const id = await openAccount();
      await service.http
        .post(`/accounts/${id}/deposits`)
        .set('Idempotency-Key', 'dep-x')
        .send({ amount: 10 })
        .expect(200);
      const response = await service.http
        .post(`/accounts/${id}/deposits`)
        .set('Idempotency-Key', 'dep-x')
        .send({ amount: 11 })
        .expect(422);
      expect(response.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await service.eventCount(accountStreamId(id))).toBe(2);
    });
  });

  describe('If-Match', () => {
    it('applies a command at the expected version and refuses a stale one with 409', async () => {
      const id = await openAccount();
      await service.http
        .post(`/accounts/${id}/deposits`)
        .set('If-Match', '"1"')
        .send({ amount: 10 })
        .expect(200);
      const stale = await service.http
        .post(`/accounts/${id}/deposits`)
        .set('If-Match', '"1"')
        .send({ amount: 10 })
        .expect(409);
      expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', expectedVersion: 1, actualVersion: 2 });
    });
  });

  describe('state as of a time or version', () => {
    it('rebuilds the account from its events', async () => {
      const id = await openAccount();
      await service.http.post(`/accounts/${id}/deposits`).send({ amount: 700 }).expect(200);
      const middle = new Date().toISOString();
      await new Promise((resolve) => setTimeout(resolve, 5));
      await service.http.post(`/accounts/${id}/withdrawals`).send({ amount: 200 }).expect(200);

      expect((await service.http.get(`/accounts/${id}/state`).expect(200)).body).toMatchObject({
        version: 3,
        state: { balance: 500 },
      });
      expect((await service.http.get(`/accounts/${id}/state?version=2`).expect(200)).body).toMatchObject({
        version: 2,
        state: { balance: 700 },
      });
      expect(
        (await service.http.get(`/accounts/${id}/state`).query({ asOf: middle }).expect(200)).body,
      ).toMatchObject({ version: 2, state: { balance: 700 } });
      const before = await service.http.get(`/accounts/${id}/state?asOf=2000-01-01T00:00:00Z`).expect(404);
      expect(before.body).toMatchObject({
        code: 'ACCOUNT_NOT_FOUND',
        detail: expect.stringContaining('had no events by then'),
      });
      const invalid = await service.http.get(`/accounts/${id}/state?asOf=tomorrow`).expect(400);
      expect(invalid.body).toMatchObject({
        code: 'INVALID_QUERY',
        detail: 'asOf must be an ISO-8601 date-time',
      });
    });
  });

  it('serves its OpenAPI document', async () => {
    const response = await service.http.get('/docs-json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        '/accounts',
        '/accounts/{id}/deposits',
        '/accounts/{id}/withdrawals',
        '/accounts/{id}/freeze',
        '/accounts/{id}/unfreeze',
        '/accounts/{id}/close',
        '/transfers',
        '/accounts/{id}/state',
      ]),
    );
  });
});
