import { accountStreamId, MAX_MINOR_UNITS } from '@ledger/domain';
import { CommandApp, startCommandApp } from './command-app';

// Every hostile input a client can send is refused with a 4xx problem+json and appends nothing.
describe('command service: hostile input catalogue', () => {
  let service: CommandApp;
  let account: string;
  let before: number;

  beforeAll(async () => {
    service = await startCommandApp();
    account = await openAccount();
  });
  afterAll(() => service.close());

  async function openAccount(body: object = { ownerId: 'owner-1', currency: 'EUR' }): Promise<string> {
    return (await service.http.post('/accounts').send(body).expect(201)).body.accountId;
  }

  function expectProblem(
    response: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
    status: number,
  ) {
    expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { status } });
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  }

  describe('refused, nothing appended', () => {
    beforeEach(async () => {
      before = await service.eventCount();
    });
    afterEach(async () => {
      expect(await service.eventCount()).toBe(before);
    });

    it.each([
      ['NUL in ownerId', '/accounts', { ownerId: 'own\u0000er', currency: 'EUR' }, 'ownerId'],
      ['lone surrogate in ownerId', '/accounts', { ownerId: 'own\ud800er', currency: 'EUR' }, 'ownerId'],
      ['NUL in reference', 'deposits', { amount: 5, reference: 'a\u0000b' }, 'reference'],
      ['lone surrogate in reference', 'deposits', { amount: 5, reference: '\udc00' }, 'reference'],
      ['NUL in reason', 'freeze', { reason: 'x\u0000' }, 'reason'],
      ['lone surrogate in reason', 'freeze', { reason: 'x\ud800' }, 'reason'],
    ])('%s: 400 naming the field', async (_, path, body, field) => {
      const url = path.startsWith('/') ? path : `/accounts/${account}/${path}`;
      const response = await service.http.post(url).send(body);
      expectProblem(response, 400);
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it.each([
      ['amount', 'deposits', { amount: Number.MAX_SAFE_INTEGER }],
      ['amount', 'withdrawals', { amount: MAX_MINOR_UNITS + 1 }],
      [
        'overdraftLimit',
        '/accounts',
        { ownerId: 'o', currency: 'EUR', overdraftLimit: Number.MAX_SAFE_INTEGER },
      ],
      [
        'dailyWithdrawalLimit',
        '/accounts',
        { ownerId: 'o', currency: 'EUR', dailyWithdrawalLimit: Number.MAX_SAFE_INTEGER },
      ],
    ])('%s above the ledger maximum: 400 (never a 500 from the event schema)', async (field, path, body) => {
      const url = path.startsWith('/') ? path : `/accounts/${account}/${path}`;
      const response = await service.http.post(url).send(body);
      expectProblem(response, 400);
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it('a body of 7,000 nested arrays: 400 before validation', async () => {
      const body = `{"ownerId":"o","currency":"EUR","x":${'['.repeat(7_000)}${']'.repeat(7_000)}}`;
      const response = await service.http
        .post('/accounts')
        .set('Content-Type', 'application/json')
        .send(body);
      expectProblem(response, 400);
      expect(response.body.errors[0].message).toMatch(/nesting deeper than/);
    });

    it.each(['freeze', 'unfreeze', 'close'])('/%s as text/plain or as a form post: 415', async (command) => {
      const text = await service.http
        .post(`/accounts/${account}/${command}`)
        .set('Content-Type', 'text/plain')
        .send('{"reason":"x"}');
      expectProblem(text, 415);
      const form = await service.http
        .post(`/accounts/${account}/${command}`)
        .type('form')
        .send({ reason: 'x' });
      expectProblem(form, 415);
      const emptyForm = await service.http
        .post(`/accounts/${account}/${command}`)
        .set('Content-Type', 'application/x-www-form-urlencoded');
      expectProblem(emptyForm, 415);
    });

    it.each(['ZZZ', 'XXX', 'XTS', 'XAU', 'eur'])('currency %s: 400', async (currency) => {
      expectProblem(await service.http.post('/accounts').send({ ownerId: 'o', currency }), 400);
      expectProblem(
        await service.http.post(`/accounts/${account}/deposits`).send({ amount: 1, currency }),
        400,
      );
    });

    it('a transfer from an account to its own id in upper case: 422 SAME_ACCOUNT', async () => {
      const response = await service.http
        .post('/transfers')
        .send({ fromAccountId: account, toAccountId: account.toUpperCase(), amount: 1 });
      expectProblem(response, 422);
      expect(response.body.code).toBe('SAME_ACCOUNT');
    });

    it.each(['__proto__', 'constructor', 'prototype'])('a %s key: 400 listing it', async (key) => {
      const response = await service.http
        .post('/accounts')
        .set('Content-Type', 'application/json')
        .send(`{"ownerId":"o","currency":"EUR","${key}":{"isAdmin":true}}`);
      expectProblem(response, 400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: key })]);
    });

    it('1,500 unknown fields: the list is capped and says how many more', async () => {
      const body = Object.fromEntries(Array.from({ length: 1_500 }, (_, index) => [`f${index}`, 1]));
      const response = await service.http.post('/accounts').send({ ownerId: 'o', currency: 'EUR', ...body });
      expectProblem(response, 400);
      expect(response.body.errors).toHaveLength(20);
      expect(response.body.errorsOmitted).toBe(1_480);
      expect(response.text.length).toBeLessThan(4_000);
    });

    it.each([
      [
        'malformed JSON',
        400,
        (request: ReturnType<CommandApp['http']['post']>) =>
          request.set('Content-Type', 'application/json').send('{"ownerId":'),
      ],
      [
        'a body over the limit',
        413,
        (request: ReturnType<CommandApp['http']['post']>) =>
          request.send({ ownerId: 'x'.repeat(20_000), currency: 'EUR' }),
      ],
      [
        'a non-JSON body',
        415,
        (request: ReturnType<CommandApp['http']['post']>) =>
          request.set('Content-Type', 'text/csv').send('a,b'),
      ],
    ])('%s: %d problem carrying the correlation id', async (_, status, send) => {
      const response = await send(service.http.post('/accounts').set('X-Correlation-Id', 'corr-hostile-1'));
      expectProblem(response, status);
      expect(response.body.correlationId).toBe('corr-hostile-1');
      expect(response.headers['x-correlation-id']).toBe('corr-hostile-1');
    });

    it('an unusable correlation id is replaced, not echoed', async () => {
      const response = await service.http
        .post('/accounts')
        .set('X-Correlation-Id', 'x'.repeat(500))
        .send({ ownerId: 'o' });
      expectProblem(response, 400);
      expect(response.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('asOf in year 0000: 400', async () => {
      expectProblem(await service.http.get(`/accounts/${account}/state?asOf=0000-01-01T00:00:00Z`), 400);
    });
  });

  describe('transfers that could only be refunded are refused at request time', () => {
    let closed: string;
    let dollars: string;
    beforeAll(async () => {
      await service.http.post(`/accounts/${account}/deposits`).send({ amount: 1_000 }).expect(200);
      closed = await openAccount();
      await service.http.post(`/accounts/${closed}/close`).expect(200);
      dollars = await openAccount({ ownerId: 'o', currency: 'USD' });
    });
    beforeEach(async () => {
      before = await service.eventCount();
    });
    afterEach(async () => {
      expect(await service.eventCount()).toBe(before);
    });

    it.each([
      [
        'an unknown destination',
        () => ({ toAccountId: '00000000-0000-4000-8000-000000000000' }),
        404,
        'ACCOUNT_NOT_FOUND',
      ],
      [
        'an unknown source',
        () => ({ fromAccountId: '00000000-0000-4000-8000-000000000000', toAccountId: account }),
        404,
        'ACCOUNT_NOT_FOUND',
      ],
      ['a closed destination', () => ({ toAccountId: closed }), 422, 'ACCOUNT_CLOSED'],
      ['a destination in another currency', () => ({ toAccountId: dollars }), 422, 'CURRENCY_MISMATCH'],
      [
        'a currency other than the source',
        () => ({ toAccountId: dollars, currency: 'USD' }),
        422,
        'CURRENCY_MISMATCH',
      ],
    ])('%s is refused', async (_, fields, status, code) => {
      const response = await service.http
        .post('/transfers')
        .send({ fromAccountId: account, amount: 10, ...fields() });
      expectProblem(response, status);
      expect(response.body.code).toBe(code);
    });
  });

  describe('what the edge normalises or accepts', () => {
    it('an upper-case account id names the same account', async () => {
      const response = await service.http
        .post(`/accounts/${account.toUpperCase()}/deposits`)
        .send({ amount: 1 })
        .expect(200);
      expect(response.body.streamId).toBe(accountStreamId(account));
    });

    it('the ledger maximum itself is accepted, and a balance beyond it is refused with 422', async () => {
      const rich = await openAccount({
        ownerId: 'o',
        currency: 'EUR',
        overdraftLimit: MAX_MINOR_UNITS,
        dailyWithdrawalLimit: MAX_MINOR_UNITS,
      });
      await service.http.post(`/accounts/${rich}/deposits`).send({ amount: MAX_MINOR_UNITS }).expect(200);
      const count = await service.eventCount();
      const refused = await service.http.post(`/accounts/${rich}/deposits`).send({ amount: 1 });
      expectProblem(refused, 422);
      expect(refused.body.code).toBe('INVALID_AMOUNT');
      expect(await service.eventCount()).toBe(count);
    });

    it('a body-less command with no Content-Type, or with JSON, is accepted', async () => {
      const id = await openAccount();
      await service.http.post(`/accounts/${id}/freeze`).send({ reason: 'check' }).expect(200);
      await service.http.post(`/accounts/${id}/unfreeze`).expect(200);
      await service.http
        .post(`/accounts/${id}/close`)
        .set('Content-Type', 'application/json')
        .send('{}')
        .expect(200);
    });
  });
});
