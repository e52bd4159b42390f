import { randomUUID } from 'node:crypto';
import { QueryApp, startQueryApp } from './query-app';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('query API: accounts', () => {
  let api: QueryApp;
  beforeAll(async () => {
    api = await startQueryApp();
  });
  afterAll(() => api?.close());

  describe('GET /accounts/{id}', () => {
    it('answers the summary the projection wrote', async () => {
      const id = await api.seed.account({
        ownerId: 'ann',
        balance: 1_250,
        status: 'frozen',
        freezeReason: 'fraud check',
        version: 4,
      });
      const response = await api.http.get(`/accounts/${id}`).expect(200);
      expect(response.body).toEqual({
        accountId: id,
        ownerId: 'ann',
        currency: 'EUR',
        balance: 1_250,
        overdraftLimit: 500,
        dailyWithdrawalLimit: 100_000,
        status: 'frozen',
        freezeReason: 'fraud check',
        version: 4,
        lastGlobalPosition: expect.any(Number),
        openedAt: '2025-01-01T00:00:00.000Z',
        updatedAt: '2025-01-01T00:00:00.000Z',
      });
      expect(response.headers).not.toHaveProperty('x-consistent-position');
    });

    it('answers 404 ACCOUNT_NOT_FOUND as a problem for an unknown account', async () => {
      const response = await api.http.get(`/accounts/${UNKNOWN}`).expect(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 404, code: 'ACCOUNT_NOT_FOUND' });
    });
  });

  describe('GET /accounts?ownerId=', () => {
    let owned: string[];
    beforeAll(async () => {
      owned = [];
      for (let index = 0; index < 7; index++)
        owned.push(
          await api.seed.account({ ownerId: 'paged-owner', status: index === 3 ? 'closed' : 'open' }),
        );
      await api.seed.account({ ownerId: 'someone-else' });
      owned.sort();
    });

    it('walks every account of the owner across pages, in id order, without duplicates or gaps', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const response = await api.http
          .get('/accounts')
          .query({ ownerId: 'paged-owner', limit: 3, ...(cursor ? { cursor } : {}) })
          .expect(200);
        seen.push(...response.body.items.map((item: { accountId: string }) => item.accountId));
        cursor = response.body.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(seen).toEqual(owned);
      expect(pages).toBe(3);
    });

    it('filters by status and defaults to pages of 50', async () => {
      const open = await api.http
        .get('/accounts')
        .query({ ownerId: 'paged-owner', status: 'open' })
        .expect(200);
      expect(open.body.items).toHaveLength(6);
      expect(open.body.nextCursor).toBeNull();
      const none = await api.http.get('/accounts').query({ ownerId: 'nobody' }).expect(200);
      expect(none.body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('GET /accounts/{id}/statement', () => {
    let id: string;
    beforeAll(async () => {
      id = await api.seed.account({ openedAt: '2025-03-01T09:00:00Z' });
      await api.seed.entries(id, [
        {
          version: 2,
          amount: 1_000,
          balanceAfter: 1_000,
          occurredAt: '2025-03-01T10:00:00Z',
          reference: 'salary',
        },
        { version: 3, amount: -300, balanceAfter: 700, occurredAt: '2025-03-02T10:00:00Z' },
        // Two entries in the same microsecond: the stream version orders them and the cursor must not split them wrongly.
        { version: 4, amount: 50, balanceAfter: 750, occurredAt: '2025-03-03T10:00:00.000001Z' },
        { version: 5, amount: -25, balanceAfter: 725, occurredAt: '2025-03-03T10:00:00.000001Z' },
        {
          version: 6,
          amount: 275,
          balanceAfter: 1_000,
          occurredAt: '2025-03-04T10:00:00Z',
          kind: 'transfer_credit',
          transferId: randomUUID(),
        },
      ]);
    });

    it('lists entries oldest first with running balances', async () => {
      const response = await api.http.get(`/accounts/${id}/statement`).expect(200);
      expect(response.body.accountId).toBe(id);
      expect(response.body.currency).toBe('EUR');
      expect(
        response.body.items.map((e: { streamVersion: number; balanceAfter: number }) => [
          e.streamVersion,
          e.balanceAfter,
        ]),
      ).toEqual([
        [2, 1_000],
        [3, 700],
        [4, 750],
        [5, 725],
        [6, 1_000],
      ]);
      expect(response.body.items[0]).toMatchObject({
        kind: 'deposit',
        amount: 1_000,
        reference: 'salary',
        occurredAt: '2025-03-01T10:00:00.000Z',
        transferId: null,
      });
      expect(response.body.nextCursor).toBeNull();
    });

    it('pages through entries sharing a timestamp without duplicates or gaps', async () => {
      const versions: number[] = [];
      let cursor: string | undefined;
      do {
        const response = await api.http
          .get(`/accounts/${id}/statement`)
          .query({ limit: 1, ...(cursor ? { cursor } : {}) })
          .expect(200);
        versions.push(...response.body.items.map((e: { streamVersion: number }) => e.streamVersion));
        cursor = response.body.nextCursor ?? undefined;
      } while (cursor);
      expect(versions).toEqual([2, 3, 4, 5, 6]);
    });

    it('keeps entries from `from` (inclusive) to `to` (exclusive), also across pages', async () => {
      const range = { from: '2025-03-02T10:00:00Z', to: '2025-03-04T10:00:00Z' };
      const first = await api.http
        .get(`/accounts/${id}/statement`)
        .query({ ...range, limit: 2 })
        .expect(200);
      const second = await api.http
        .get(`/accounts/${id}/statement`)
        .query({ ...range, limit: 2, cursor: first.body.nextCursor })
        .expect(200);
      expect(
        [...first.body.items, ...second.body.items].map((e: { streamVersion: number }) => e.streamVersion),
      ).toEqual([3, 4, 5]);
      expect(second.body.nextCursor).toBeNull();
    });

    it('answers 404 for an unknown account', async () => {
      expect((await api.http.get(`/accounts/${UNKNOWN}/statement`).expect(404)).body.code).toBe(
        'ACCOUNT_NOT_FOUND',
      );
    });
  });

  describe('GET /accounts/{id}/balance?asOf=', () => {
    let id: string;
    beforeAll(async () => {
      id = await api.seed.account({ openedAt: '2025-04-01T00:00:00Z', balance: 400 });
      await api.seed.entries(id, [
        { version: 2, amount: 500, balanceAfter: 500, occurredAt: '2025-04-02T00:00:00Z' },
        { version: 3, amount: -100, balanceAfter: 400, occurredAt: '2025-04-03T00:00:00Z' },
      ]);
    });

    const balanceAt = async (asOf?: string) =>
      (
        await api.http
          .get(`/accounts/${id}/balance`)
          .query(asOf ? { asOf } : {})
          .expect(200)
      ).body;

    it('is zero between the opening and the first entry', async () => {
      expect(await balanceAt('2025-04-01T12:00:00Z')).toEqual({
        accountId: id,
        currency: 'EUR',
        asOf: '2025-04-01T12:00:00Z',
        knownAt: expect.any(String),
        balance: 0,
        lastEntry: null,
      });
    });

    it('is the running balance of the last entry at or before the moment', async () => {
      expect(await balanceAt('2025-04-02T00:00:00Z')).toMatchObject({
        balance: 500,
        lastEntry: { streamVersion: 2 },
      });
      expect(await balanceAt('2025-04-02T23:59:59.999999Z')).toMatchObject({ balance: 500 });
      expect(await balanceAt('2025-04-03T02:00:00+02:00')).toMatchObject({
        balance: 400,
        lastEntry: { streamVersion: 3, occurredAt: '2025-04-03T00:00:00.000Z' },
      });
    });

    it('is the current balance without asOf', async () => {
      expect(await balanceAt()).toMatchObject({ balance: 400 });
    });

    it('answers 404 before the account was opened and for an unknown account', async () => {
      const before = await api.http
        .get(`/accounts/${id}/balance`)
        .query({ asOf: '2025-03-31T23:59:59Z' })
        .expect(404);
      expect(before.body).toMatchObject({
        code: 'ACCOUNT_NOT_FOUND',
        detail: expect.stringContaining('not open yet'),
      });
      await api.http.get(`/accounts/${UNKNOWN}/balance`).expect(404);
    });
  });

  describe('on both time axes (asOf: business time, knownAt: record time)', () => {
    let id: string;
    // A deposit, then a debit that took effect on the 2nd but was only recorded on the 5th (a late booking).
    beforeAll(async () => {
      id = await api.seed.account({ openedAt: '2025-05-01T00:00:00Z', balance: 700 });
      await api.seed.entries(id, [
        {
          version: 2,
          amount: 1_000,
          balanceAfter: 1_000,
          occurredAt: '2025-05-01T10:00:00Z',
          recordedAt: '2025-05-01T10:00:00.005Z',
        },
        {
          version: 3,
          amount: -300,
          balanceAfter: 700,
          occurredAt: '2025-05-02T10:00:00Z',
          recordedAt: '2025-05-05T10:00:00Z',
        },
      ]);
    });
    const balance = async (query: object) =>
      (await api.http.get(`/accounts/${id}/balance`).query(query).expect(200)).body;
    const statement = async (query: object) =>
      (await api.http.get(`/accounts/${id}/statement`).query(query).expect(200)).body;

    it('counts a late entry only once it is known', async () => {
      expect(await balance({ asOf: '2025-05-03T00:00:00Z', knownAt: '2025-05-04T00:00:00Z' })).toMatchObject({
        balance: 1_000,
        knownAt: '2025-05-04T00:00:00Z',
        lastEntry: {
          streamVersion: 2,
          occurredAt: '2025-05-01T10:00:00.000Z',
          recordedAt: '2025-05-01T10:00:00.005Z',
        },
      });
      expect(await balance({ asOf: '2025-05-03T00:00:00Z', knownAt: '2025-05-06T00:00:00Z' })).toMatchObject({
        balance: 700,
        lastEntry: {
          streamVersion: 3,
          occurredAt: '2025-05-02T10:00:00.000Z',
          recordedAt: '2025-05-05T10:00:00.000Z',
        },
      });
      expect(await balance({ asOf: '2025-05-03T00:00:00Z' })).toMatchObject({ balance: 700 });
    });

    it('defaults asOf to knownAt: what the ledger said at that moment about that moment', async () => {
      expect(await balance({ knownAt: '2025-05-04T00:00:00Z' })).toMatchObject({
        asOf: '2025-05-04T00:00:00Z',
        balance: 1_000,
      });
    });

    it('answers 404 on the record axis before the opening was recorded', async () => {
      const opened = await api.seed.account({ openedAt: '2025-05-01T00:00:00Z' });
      await api.sql.query(
        `update account_summaries set opened_recorded_at = '2025-05-01T00:00:01Z' where account_id = $1`,
        [opened],
      );
      await api.http
        .get(`/accounts/${opened}/balance`)
        .query({ asOf: '2025-05-02T00:00:00Z', knownAt: '2025-05-01T00:00:00.500Z' })
        .expect(404);
      await api.http
        .get(`/accounts/${opened}/balance`)
        .query({ asOf: '2025-05-02T00:00:00Z', knownAt: '2025-05-01T00:00:01Z' })
        .expect(200);
    });

    it('shows each statement entry with its business and record time, as known at knownAt', async () => {
      const then = await statement({ knownAt: '2025-05-04T00:00:00Z', asOf: '2025-06-01T00:00:00Z' });
      expect(then).toMatchObject({ asOf: '2025-06-01T00:00:00Z', knownAt: '2025-05-04T00:00:00Z' });
      expect(then.items.map((entry: { streamVersion: number }) => entry.streamVersion)).toEqual([2]);
      const now = await statement({});
      expect(now.items).toMatchObject([
        {
          streamVersion: 2,
          occurredAt: '2025-05-01T10:00:00.000Z',
          recordedAt: '2025-05-01T10:00:00.005Z',
          balanceAfter: 1_000,
        },
        {
          streamVersion: 3,
          occurredAt: '2025-05-02T10:00:00.000Z',
          recordedAt: '2025-05-05T10:00:00.000Z',
          balanceAfter: 700,
        },
      ]);
    });

    it('refuses a knownAt that is not a date-time', async () => {
      const refused = await api.http
        .get(`/accounts/${id}/balance`)
        .query({ knownAt: 'yesterday' })
        .expect(400);
      expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    });
  });
});
