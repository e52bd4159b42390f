import type { Role } from '@ledger/auth';
import { randomUUID } from 'node:crypto';
import { HttpClient, QueryApp, startQueryApp } from './query-app';

// Every role against every read route, on an account (or transfer) of the caller's own and of someone
// else's. A customer's refusal of another's account must look exactly like an unknown account.

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('query API: who may read what', () => {
  let api: QueryApp;
  let as: Record<'alice' | 'teller' | 'admin', HttpClient>;
  let aliceAccount: string;
  let bobAccount: string;
  let bobSecond: string;
  let outgoing: string; // alice -> bob
  let incoming: string; // bob -> alice
  let between: string; // bob -> bob

  beforeAll(async () => {
    api = await startQueryApp();
    as = {
      alice: await api.as('alice', 'customer'),
      teller: await api.as('teller-1', 'teller'),
      admin: await api.as('admin-1', 'admin'),
    };
    aliceAccount = await api.seed.account({ ownerId: 'alice', balance: 900 });
    bobAccount = await api.seed.account({ ownerId: 'bob', balance: 1_100 });
    bobSecond = await api.seed.account({ ownerId: 'bob' });
    for (const id of [aliceAccount, bobAccount]) {
      await api.seed.entries(id, [
        { version: 2, amount: 1_000, balanceAfter: 1_000, occurredAt: '2025-01-02T00:00:00Z' },
      ]);
      await api.seed.accountHistory(id, [
        {
          eventType: 'ledger.accounts.AccountOpened',
          actor: ['teller-1', 'teller'],
          recordedAt: '2025-01-01T00:00:00Z',
        },
      ]);
    }
    outgoing = await api.seed.transfer({
      fromAccountId: aliceAccount,
      toAccountId: bobAccount,
      requestedAt: '2025-01-03T00:00:00Z',
    });
    incoming = await api.seed.transfer({
      fromAccountId: bobAccount,
      toAccountId: aliceAccount,
      requestedAt: '2025-01-04T00:00:00Z',
    });
    between = await api.seed.transfer({
      fromAccountId: bobAccount,
      toAccountId: bobSecond,
      requestedAt: '2025-01-05T00:00:00Z',
    });
  });
  afterAll(() => api?.close());

  const accountRoutes = ['', '/statement', '/balance', '/history'];
  type Caller = keyof typeof as;
  const cells: Array<[Caller, string, () => string, number]> = [
    ...accountRoutes.flatMap((route): Array<[Caller, string, () => string, number]> => [
      ['alice', `own account${route}`, () => `/accounts/${aliceAccount}${route}`, 200],
      ['alice', `another's account${route}`, () => `/accounts/${bobAccount}${route}`, 404],
      ['teller', `any account${route}`, () => `/accounts/${bobAccount}${route}`, 200],
      ['admin', `any account${route}`, () => `/accounts/${bobAccount}${route}`, 200],
    ]),
    ['alice', 'a transfer from her account', () => `/transfers/${outgoing}`, 200],
    ['alice', 'a transfer to her account', () => `/transfers/${incoming}`, 200],
    ['alice', 'a transfer between others', () => `/transfers/${between}`, 404],
    ['teller', 'any transfer', () => `/transfers/${between}`, 200],
    ['admin', 'any transfer', () => `/transfers/${between}`, 200],
    ['alice', 'the transfers of her account', () => `/transfers?accountId=${aliceAccount}`, 200],
    ['alice', "the transfers of another's account", () => `/transfers?accountId=${bobAccount}`, 404],
    ['teller', 'the transfers of any account', () => `/transfers?accountId=${bobAccount}`, 200],
    ['admin', 'the transfers of any account', () => `/transfers?accountId=${bobAccount}`, 200],
    ['alice', 'her own accounts', () => '/accounts?ownerId=alice', 200],
    ['alice', "another owner's accounts", () => '/accounts?ownerId=bob', 403],
    ['alice', 'every account', () => '/accounts', 403],
    ['teller', 'every account', () => '/accounts', 200],
    ['admin', 'every account', () => '/accounts', 200],
    ['alice', 'the projections report', () => '/projections', 403],
    ['teller', 'the projections report', () => '/projections', 403],
    ['admin', 'the projections report', () => '/projections', 200],
  ];

  it.each(cells)('%s reading %s answers %i', async (caller, _what, path, status) => {
    const response = await as[caller].get(path());
    expect({ status: response.status, code: response.body.code }).toEqual({
      status,
      code: status === 404 ? expect.stringMatching(/_NOT_FOUND$/) : status === 403 ? 'FORBIDDEN' : undefined,
    });
    if (status >= 400) expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it("answers another customer's account exactly as an unknown one, on every account route", async () => {
    for (const route of accountRoutes) {
      const other = await as.alice.get(`/accounts/${bobAccount}${route}`).expect(404);
      const unknown = await as.alice.get(`/accounts/${UNKNOWN}${route}`).expect(404);
      // Every answer has its own correlation id; the rest must not tell the two cases apart.
      const normalise = (body: Record<string, unknown>, id: string) => ({
        ...JSON.parse(JSON.stringify(body).split(id).join('<id>')),
        correlationId: '<each its own>',
      });
      expect(normalise(other.body, bobAccount)).toEqual(normalise(unknown.body, UNKNOWN));
    }
    const other = await as.alice.get(`/transfers/${between}`).expect(404);
    const unknown = await as.alice.get(`/transfers/${UNKNOWN}`).expect(404);
    expect(other.body.detail.replace(between, '<id>')).toBe(unknown.body.detail.replace(UNKNOWN, '<id>'));
  });

  it('lists only her own accounts and transfers to a customer', async () => {
    const accounts = await as.alice.get('/accounts?ownerId=alice').expect(200);
    expect(accounts.body.items.map((item: { accountId: string }) => item.accountId)).toEqual([aliceAccount]);
    const transfers = await as.alice.get(`/transfers?accountId=${aliceAccount}`).expect(200);
    expect(transfers.body.items.map((item: { transferId: string }) => item.transferId).sort()).toEqual(
      [outgoing, incoming].sort(),
    );
  });

  it.each<[Role]>([['customer'], ['teller']])(
    'refuses a %s token on the ops endpoint without revealing anything',
    async (role) => {
      const client = await api.as(`someone-${randomUUID().slice(0, 8)}`, role);
      const response = await client.get('/projections').expect(403);
      expect(response.body).toEqual({
        type: 'urn:ledger:problem:forbidden',
        title: 'Forbidden',
        status: 403,
        code: 'FORBIDDEN',
        detail: `role ${role} may not call this route`,
        instance: '/projections',
        correlationId: expect.any(String),
      });
    },
  );
});
