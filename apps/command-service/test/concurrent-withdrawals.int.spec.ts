import { CommandApp, startCommandApp } from './command-app';

// Two service instances on one database: per-process queues serialize each instance's commands,
// optimistic concurrency arbitrates between them.
describe('1,000 concurrent withdrawals against one account', () => {
  let first: CommandApp;
  let second: CommandApp;
  beforeAll(async () => {
    first = await startCommandApp();
    second = await first.cloneOnSameDatabase();
  });
  afterAll(async () => {
    await second?.closeApp();
    await first?.close();
  });

  it('never take the balance below the overdraft limit, and the store holds exactly the accepted ones', async () => {
    const opened = await first.http
      .post('/accounts')
      .send({ ownerId: 'hot', currency: 'EUR', overdraftLimit: 2_000, dailyWithdrawalLimit: 1_000_000 })
      .expect(201);
    const { accountId, streamId } = opened.body;
    await first.http.post(`/accounts/${accountId}/deposits`).send({ amount: 10_000 }).expect(200);

    const amount = 37;
    const responses = await Promise.all(
      Array.from({ length: 1_000 }, (_, index) =>
        (index % 2 === 0 ? first : second).http.post(`/accounts/${accountId}/withdrawals`).send({ amount }),
      ),
    );
    const statuses = responses.reduce<Record<number, number>>(
      (count, { status }) => ({ ...count, [status]: (count[status] ?? 0) + 1 }),
      {},
    );
    const accepted = statuses[200] ?? 0;
    const refusedForFunds = responses.filter(
      (response) => response.body.code === 'INSUFFICIENT_FUNDS',
    ).length;

    // 12,000 available (balance + overdraft) at 37 each: exactly 324 fit.
    expect(accepted).toBe(Math.floor(12_000 / amount));
    expect(refusedForFunds + accepted + (statuses[409] ?? 0)).toBe(1_000);
    const { rows } = await first.sql.query(
      `select count(*)::int as withdrawals, coalesce(sum((data->>'amount')::bigint), 0)::bigint as total
         from events where stream_id = $1 and event_type = 'ledger.accounts.MoneyWithdrawn'`,
      [streamId],
    );
    expect(rows[0].withdrawals).toBe(accepted);
    expect(10_000 - Number(rows[0].total)).toBeGreaterThanOrEqual(-2_000);
    const versions = await first.sql.query(
      'select stream_version from events where stream_id = $1 order by stream_version',
      [streamId],
    );
    expect(versions.rows.map((row) => row.stream_version)).toEqual(
      Array.from({ length: accepted + 2 }, (_, i) => i + 1),
    );
  });
});
