import { QueryApp, startQueryApp } from './query-app';

describe('query API: GET /accounts/{id}/history', () => {
  let api: QueryApp;
  beforeAll(async () => {
    api = await startQueryApp();
  });
  afterAll(() => api?.close());

  it('answers who did what and when for each event, oldest first, page by page', async () => {
    const id = await api.seed.account({ ownerId: 'alice' });
    await api.seed.accountHistory(id, [
      {
        eventType: 'ledger.accounts.AccountOpened',
        actor: ['alice', 'customer'],
        recordedAt: '2025-01-01T00:00:00Z',
        detail: { ownerId: 'alice' },
      },
      {
        eventType: 'ledger.accounts.MoneyDeposited',
        actor: ['teller-1', 'teller'],
        recordedAt: '2025-01-02T00:00:00Z',
        detail: { amount: 500 },
      },
      {
        eventType: 'ledger.accounts.TransferDebited',
        actor: ['service:transfer-saga', 'service'],
        onBehalfOf: ['alice', 'customer'],
        recordedAt: '2025-01-03T00:00:00Z',
        detail: { amount: 200 },
      },
      { eventType: 'ledger.accounts.AccountFrozen', recordedAt: '2025-01-04T00:00:00Z' },
    ]);

    const first = await api.http.get(`/accounts/${id}/history?limit=2`).expect(200);
    expect(first.body).toEqual({
      accountId: id,
      items: [
        expect.objectContaining({
          streamVersion: 1,
          eventType: 'ledger.accounts.AccountOpened',
          recordedAt: '2025-01-01T00:00:00.000Z',
          actor: { subject: 'alice', role: 'customer' },
          onBehalfOf: null,
          detail: { ownerId: 'alice' },
          correlationId: 'corr-1',
          eventId: expect.any(String),
          globalPosition: expect.any(Number),
        }),
        expect.objectContaining({
          streamVersion: 2,
          actor: { subject: 'teller-1', role: 'teller' },
          detail: { amount: 500 },
        }),
      ],
      nextCursor: expect.any(String),
    });
    const second = await api.http
      .get(`/accounts/${id}/history?limit=2&cursor=${first.body.nextCursor}`)
      .expect(200);
    expect(second.body.items).toEqual([
      expect.objectContaining({
        streamVersion: 3,
        actor: { subject: 'service:transfer-saga', role: 'service' },
        onBehalfOf: { subject: 'alice', role: 'customer' },
      }),
      // Events recorded before actors were kept have none.
      expect.objectContaining({ streamVersion: 4, actor: null, onBehalfOf: null }),
    ]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('shows a customer the history of her own account only', async () => {
    const mine = await api.seed.account({ ownerId: 'carol' });
    const theirs = await api.seed.account({ ownerId: 'dave' });
    await api.seed.accountHistory(mine, [
      {
        eventType: 'ledger.accounts.AccountOpened',
        actor: ['carol', 'customer'],
        recordedAt: '2025-01-01T00:00:00Z',
      },
    ]);
    const carol = await api.as('carol', 'customer');
    expect((await carol.get(`/accounts/${mine}/history`).expect(200)).body.items).toHaveLength(1);
    expect((await carol.get(`/accounts/${theirs}/history`).expect(404)).body.code).toBe('ACCOUNT_NOT_FOUND');
  });

  it('refuses a cursor of another listing', async () => {
    const id = await api.seed.account();
    const foreign = Buffer.from(JSON.stringify(['statement', '2025-01-01T00:00:00Z', 1])).toString(
      'base64url',
    );
    const response = await api.http.get(`/accounts/${id}/history?cursor=${foreign}`).expect(400);
    expect(response.body.errors).toEqual([
      { field: 'cursor', message: 'cursor must be a nextCursor returned by this listing' },
    ]);
  });
});
