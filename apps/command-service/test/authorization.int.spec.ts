import { randomUUID } from 'node:crypto';
import { CommandApp, HttpClient, startCommandApp } from './command-app';

// Every role against every command route, on an account of the caller's own and of someone else's.
// A refused cell appends nothing: the event count of the whole store is compared before and after.

type Caller = 'alice' | 'teller' | 'admin';
type Target = 'own' | 'other';
type Route = 'deposit' | 'withdraw' | 'freeze' | 'unfreeze' | 'close' | 'transfer' | 'state';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

// Expected status per caller, route and whose account it is. A customer's "other" is bob's account.
const MATRIX: Record<Caller, Record<Target, Record<Route, number>>> = {
  alice: {
    own: { deposit: 403, withdraw: 200, freeze: 403, unfreeze: 403, close: 403, transfer: 202, state: 200 },
    other: { deposit: 403, withdraw: 404, freeze: 403, unfreeze: 403, close: 403, transfer: 404, state: 404 },
  },
  teller: {
    own: { deposit: 200, withdraw: 200, freeze: 200, unfreeze: 200, close: 200, transfer: 403, state: 200 },
    other: { deposit: 200, withdraw: 200, freeze: 200, unfreeze: 200, close: 200, transfer: 403, state: 200 },
  },
  admin: {
    own: { deposit: 200, withdraw: 200, freeze: 200, unfreeze: 200, close: 200, transfer: 202, state: 200 },
    other: { deposit: 200, withdraw: 200, freeze: 200, unfreeze: 200, close: 200, transfer: 202, state: 200 },
  },
};

describe('command service: who may do what', () => {
  let service: CommandApp;
  let clients: Record<Caller, HttpClient>;
  const subjects: Record<Caller, string> = { alice: 'alice', teller: 'teller-1', admin: 'admin-1' };

  beforeAll(async () => {
    service = await startCommandApp();
    clients = {
      alice: await service.as('alice', 'customer'),
      teller: await service.as('teller-1', 'teller'),
      admin: await service.as('admin-1', 'admin'),
    };
  });
  afterAll(() => service?.close());

  /** An account opened by staff for `owner`, funded unless it is to be closed, frozen for an unfreeze. */
  async function prepare(owner: string, route: Route): Promise<string> {
    const { body } = await service.http
      .post('/accounts')
      .send({ ownerId: owner, currency: 'EUR' })
      .expect(201);
    if (route !== 'close')
      await service.http.post(`/accounts/${body.accountId}/deposits`).send({ amount: 1_000 }).expect(200);
    if (route === 'unfreeze')
      await service.http.post(`/accounts/${body.accountId}/freeze`).send({ reason: 'review' }).expect(200);
    return body.accountId;
  }

  const call = async (client: HttpClient, route: Route, accountId: string) => {
    switch (route) {
      case 'deposit':
        return client.post(`/accounts/${accountId}/deposits`).send({ amount: 100 });
      case 'withdraw':
        return client.post(`/accounts/${accountId}/withdrawals`).send({ amount: 100 });
      case 'freeze':
        return client.post(`/accounts/${accountId}/freeze`).send({ reason: 'review' });
      case 'unfreeze':
        return client.post(`/accounts/${accountId}/unfreeze`);
      case 'close':
        return client.post(`/accounts/${accountId}/close`);
      case 'transfer': {
        const { body } = await service.http
          .post('/accounts')
          .send({ ownerId: 'carol', currency: 'EUR' })
          .expect(201);
        const before = await service.eventCount();
        const response = await client
          .post('/transfers')
          .send({ fromAccountId: accountId, toAccountId: body.accountId, amount: 100 });
        return Object.assign(response, { countBefore: before });
      }
      case 'state':
        return client.get(`/accounts/${accountId}/state`);
    }
  };

  const cells = (Object.keys(MATRIX) as Caller[]).flatMap((caller) =>
    (['own', 'other'] as Target[]).flatMap((target) =>
      (Object.keys(MATRIX[caller][target]) as Route[]).map(
        (route) => [caller, route, target, MATRIX[caller][target][route]] as const,
      ),
    ),
  );

  it.each(cells)('%s: %s on an account of %s answers %i', async (caller, route, target, status) => {
    const owner = target === 'own' ? subjects[caller] : 'bob';
    const accountId = await prepare(owner, route);
    const countBefore = await service.eventCount();
    const response = await call(clients[caller], route, accountId);
    const before = 'countBefore' in response ? (response.countBefore as number) : countBefore;
    expect({ status: response.status, code: response.body.code }).toEqual({
      status,
      code: status === 404 ? 'ACCOUNT_NOT_FOUND' : status === 403 ? 'FORBIDDEN' : undefined,
    });
    const appended = (await service.eventCount()) - before;
    if (status >= 400) expect(appended).toBe(0);
    else if (route !== 'state') expect(appended).toBeGreaterThan(0);
  });

  it("answers a customer's command on another's account exactly as one on an unknown account", async () => {
    const bobs = await prepare('bob', 'withdraw');
    // Every answer has its own correlation id; the rest must not tell the two cases apart.
    const normalise = (body: object, id: string) => ({
      ...JSON.parse(JSON.stringify(body).split(id).join('<id>')),
      correlationId: '<each its own>',
    });
    for (const route of ['withdraw', 'state'] as const) {
      const other = await call(clients.alice, route, bobs);
      const unknown = await call(clients.alice, route, UNKNOWN);
      expect([other.status, normalise(other.body, bobs)]).toEqual([
        unknown.status,
        normalise(unknown.body, UNKNOWN),
      ]);
    }
    const { body: target } = await service.http
      .post('/accounts')
      .send({ ownerId: 'carol', currency: 'EUR' })
      .expect(201);
    const other = await clients.alice
      .post('/transfers')
      .send({ fromAccountId: bobs, toAccountId: target.accountId, amount: 1 });
    const unknown = await clients.alice
      .post('/transfers')
      .send({ fromAccountId: UNKNOWN, toAccountId: target.accountId, amount: 1 });
    expect([other.status, normalise(other.body, bobs)]).toEqual([
      unknown.status,
      normalise(unknown.body, UNKNOWN),
    ]);
  });

  describe('opening accounts', () => {
    it('opens a customer account for the customer, owner taken from the token when omitted', async () => {
      const response = await clients.alice.post('/accounts').send({ currency: 'EUR' }).expect(201);
      const state = await service.http.get(`/accounts/${response.body.accountId}/state`).expect(200);
      expect(state.body.state.ownerId).toBe('alice');
      await clients.alice.post('/accounts').send({ ownerId: 'alice', currency: 'EUR' }).expect(201);
    });

    it('refuses a customer opening an account for someone else, and records nothing', async () => {
      const before = await service.eventCount();
      const response = await clients.alice
        .post('/accounts')
        .send({ ownerId: 'bob', currency: 'EUR' })
        .expect(403);
      expect(response.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(await service.eventCount()).toBe(before);
    });

    it('lets staff open accounts for any owner, who must then be named', async () => {
      for (const caller of ['teller', 'admin'] as const) {
        const { body } = await clients[caller]
          .post('/accounts')
          .send({ ownerId: 'erin', currency: 'EUR' })
          .expect(201);
        expect((await service.http.get(`/accounts/${body.accountId}/state`)).body.state.ownerId).toBe('erin');
        const before = await service.eventCount();
        const missing = await clients[caller].post('/accounts').send({ currency: 'EUR' }).expect(400);
        expect(missing.body.errors).toEqual([
          { field: 'ownerId', message: 'ownerId is required when staff open an account' },
        ]);
        expect(await service.eventCount()).toBe(before);
      }
    });
  });

  it('judges ownership by the account as recorded, whatever the request says', async () => {
    const bobs = await prepare('bob', 'withdraw');
    // A body field naming alice as owner is refused as unknown; ownership comes from the account's events.
    const response = await clients.alice
      .post(`/accounts/${bobs}/withdrawals`)
      .send({ amount: 1, ownerId: 'alice' });
    expect(response.status).toBe(400);
    expect((await clients.alice.post(`/accounts/${bobs}/withdrawals`).send({ amount: 1 })).status).toBe(404);
    expect(await service.eventCount(`account-${bobs}`)).toBe(2);
  });

  it('keeps idempotency keys apart per subject: same key, two customers, two accounts', async () => {
    const key = `shared-${randomUUID()}`;
    const bob = await service.as('bob', 'customer');
    const first = await clients.alice
      .post('/accounts')
      .set('Idempotency-Key', key)
      .send({ currency: 'EUR' })
      .expect(201);
    const second = await bob
      .post('/accounts')
      .set('Idempotency-Key', key)
      .send({ currency: 'USD' })
      .expect(201);
    expect(second.body.accountId).not.toBe(first.body.accountId);
    expect(second.body.replayed).toBe(false);
    const repeat = await clients.alice
      .post('/accounts')
      .set('Idempotency-Key', key)
      .send({ currency: 'EUR' })
      .expect(201);
    expect(repeat.body).toMatchObject({ accountId: first.body.accountId, replayed: true });
  });
});
