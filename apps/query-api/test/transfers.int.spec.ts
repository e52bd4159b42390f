import { QueryApp, startQueryApp } from './query-app';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('query API: transfers', () => {
  let api: QueryApp;
  let alice: string;
  let bob: string;
  let carol: string;
  beforeAll(async () => {
    api = await startQueryApp();
    [alice, bob, carol] = await Promise.all([api.seed.account(), api.seed.account(), api.seed.account()]);
  });
  afterAll(() => api?.close());

  it('answers a transfer with its history in stream order', async () => {
    const id = await api.seed.transfer({
      fromAccountId: alice,
      toAccountId: bob,
      amount: 250,
      status: 'completed',
      requestedAt: '2025-05-01T10:00:00Z',
    });
    await api.seed.history(id, [
      {
        eventType: 'ledger.transfers.TransferRequested',
        status: 'requested',
        occurredAt: '2025-05-01T10:00:00Z',
        detail: { amount: 250 },
      },
      {
        eventType: 'ledger.transfers.TransferDebited',
        status: 'debited',
        occurredAt: '2025-05-01T10:00:01Z',
      },
      {
        eventType: 'ledger.transfers.TransferCompleted',
        status: 'completed',
        occurredAt: '2025-05-01T10:00:02Z',
      },
    ]);
    const response = await api.http.get(`/transfers/${id}`).expect(200);
    expect(response.body).toMatchObject({
      transferId: id,
      fromAccountId: alice,
      toAccountId: bob,
      amount: 250,
      currency: 'EUR',
      status: 'completed',
      failureStage: null,
      failureReason: null,
      requestedAt: '2025-05-01T10:00:00.000Z',
    });
    expect(response.body.history).toEqual([
      expect.objectContaining({
        streamVersion: 1,
        eventType: 'ledger.transfers.TransferRequested',
        status: 'requested',
        detail: { amount: 250 },
        occurredAt: '2025-05-01T10:00:00.000Z',
        globalPosition: expect.any(Number),
      }),
      expect.objectContaining({ streamVersion: 2, status: 'debited', detail: {} }),
      expect.objectContaining({
        streamVersion: 3,
        status: 'completed',
        occurredAt: '2025-05-01T10:00:02.000Z',
      }),
    ]);
  });

  it('shows when a transfer was requested, debited, credited and completed, on both time axes', async () => {
    const id = await api.seed.transfer({
      fromAccountId: alice,
      toAccountId: bob,
      amount: 70,
      status: 'completed',
      requestedAt: '2025-06-01T10:00:00Z',
    });
    // The saga ran half a minute late: every step after the request has its own time.
    await api.seed.history(id, [
      {
        eventType: 'ledger.transfers.TransferRequested',
        status: 'requested',
        occurredAt: '2025-06-01T10:00:00Z',
        recordedAt: '2025-06-01T10:00:00.004Z',
      },
      {
        eventType: 'ledger.transfers.TransferSourceDebited',
        status: 'debited',
        occurredAt: '2025-06-01T10:00:31Z',
        recordedAt: '2025-06-01T10:00:31.003Z',
      },
      {
        eventType: 'ledger.transfers.TransferCompleted',
        status: 'completed',
        occurredAt: '2025-06-01T10:00:32Z',
        recordedAt: '2025-06-01T10:00:32.002Z',
      },
    ]);
    await api.seed.entries(alice, [
      {
        version: 90,
        amount: -70,
        balanceAfter: 0,
        occurredAt: '2025-06-01T10:00:30Z',
        recordedAt: '2025-06-01T10:00:30.005Z',
        kind: 'transfer_debit',
        transferId: id,
        counterpartyAccountId: bob,
      },
    ]);
    await api.seed.entries(bob, [
      {
        version: 90,
        amount: 70,
        balanceAfter: 70,
        occurredAt: '2025-06-01T10:00:31Z',
        recordedAt: '2025-06-01T10:00:31.006Z',
        kind: 'transfer_credit',
        transferId: id,
        counterpartyAccountId: alice,
      },
    ]);
    const { body } = await api.http.get(`/transfers/${id}`).expect(200);
    expect(body.times).toEqual({
      requested: { effectiveAt: '2025-06-01T10:00:00.000Z', recordedAt: '2025-06-01T10:00:00.004Z' },
      debited: { effectiveAt: '2025-06-01T10:00:30.000Z', recordedAt: '2025-06-01T10:00:30.005Z' },
      credited: { effectiveAt: '2025-06-01T10:00:31.000Z', recordedAt: '2025-06-01T10:00:31.006Z' },
      refunded: null,
      completed: { effectiveAt: '2025-06-01T10:00:32.000Z', recordedAt: '2025-06-01T10:00:32.002Z' },
      failed: null,
    });
    expect(
      body.history.map((step: { occurredAt: string; recordedAt: string }) => [
        step.occurredAt,
        step.recordedAt,
      ]),
    ).toEqual([
      ['2025-06-01T10:00:00.000Z', '2025-06-01T10:00:00.004Z'],
      ['2025-06-01T10:00:31.000Z', '2025-06-01T10:00:31.003Z'],
      ['2025-06-01T10:00:32.000Z', '2025-06-01T10:00:32.002Z'],
    ]);
  });

  it('answers 404 TRANSFER_NOT_FOUND for an unknown transfer', async () => {
    const response = await api.http.get(`/transfers/${UNKNOWN}`).expect(404);
    expect(response.body).toMatchObject({ status: 404, code: 'TRANSFER_NOT_FOUND' });
  });

  describe('GET /transfers?accountId=', () => {
    let expected: string[];
    beforeAll(async () => {
      expected = [];
      // Carol pays and is paid, with two requests in the same instant to exercise the tie-break.
      for (const [index, requestedAt] of [
        '2025-06-01T00:00:00Z',
        '2025-06-02T00:00:00Z',
        '2025-06-02T00:00:00Z',
        '2025-06-03T00:00:00Z',
        '2025-06-04T00:00:00Z',
      ].entries()) {
        const outgoing = index % 2 === 0;
        const id = await api.seed.transfer({
          fromAccountId: outgoing ? carol : alice,
          toAccountId: outgoing ? bob : carol,
          status: index === 4 ? 'failed' : 'completed',
          requestedAt,
        });
        expected.push(id);
      }
      await api.seed.transfer({
        fromAccountId: alice,
        toAccountId: bob,
        requestedAt: '2025-06-02T00:00:00Z',
      });
      const ties = expected.slice(1, 3).sort();
      expected.splice(1, 2, ...ties);
    });

    it('lists transfers where the account is source or destination, oldest first, across pages without duplicates or gaps', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const response = await api.http
          .get('/transfers')
          .query({ accountId: carol, limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
        expect(response.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...response.body.items.map((item: { transferId: string }) => item.transferId));
        cursor = response.body.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(expected);
    });

    it('filters by status', async () => {
      const response = await api.http
        .get('/transfers')
        .query({ accountId: carol, status: 'failed' })
        .expect(200);
      expect(response.body.items.map((item: { transferId: string }) => item.transferId)).toEqual([
        expected[4],
      ]);
    });

    it('answers an empty page for an account without transfers', async () => {
      expect((await api.http.get('/transfers').query({ accountId: UNKNOWN }).expect(200)).body).toEqual({
        items: [],
        nextCursor: null,
      });
    });
  });
});
