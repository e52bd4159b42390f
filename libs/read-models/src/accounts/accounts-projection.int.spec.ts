import { randomUUID } from 'node:crypto';
import { ACCOUNT_READ_MODEL_TABLES } from '../schema';
import {
  account,
  EventLog,
  ReadModelDatabase,
  readStatement,
  readSummaries,
  simulateLedger,
  transfer,
} from '../spec-support';
import { accountsProjection } from './accounts-projection';
import { applyProjection } from '@ledger/projections';

// Given account events applied by the projection, then the summary and statement rows.

const db = new ReadModelDatabase();
beforeAll(() => db.setUp());
afterAll(() => db.tearDown());
beforeEach(() => db.truncate(...ACCOUNT_READ_MODEL_TABLES));

const projection = accountsProjection();
const t = (minute: number) => new Date(Date.UTC(2025, 2, 1, 9, minute)).toISOString();

describe('accounts projection', () => {
  it('keeps the balance of an account and a statement with the running balance after each movement', async () => {
    const log = new EventLog();
    const a = randomUUID();
    const events = log.record(
      account(a).opened(t(0), { ownerId: 'owner-7', overdraftLimit: 5_000, dailyWithdrawalLimit: 200_000 }),
      account(a).deposited(10_000, t(1), 'salary'),
      account(a).withdrawn(2_500, t(2)),
      account(a).deposited(700, t(3)),
    );

    await db.apply(projection, events);

    expect(await readSummaries(db)).toEqual([
      {
        accountId: a,
        ownerId: 'owner-7',
        currency: 'EUR',
        balance: 8_200,
        overdraftLimit: 5_000,
        dailyWithdrawalLimit: 200_000,
        status: 'open',
        freezeReason: null,
        version: 4,
        lastGlobalPosition: events[3].globalPosition,
        openedAt: t(0),
        openedRecordedAt: events[0].recordedAt,
        updatedAt: t(3),
      },
    ]);
    expect(await readStatement(db)).toEqual([
      entry(a, events[1], {
        kind: 'deposit',
        amount: 10_000,
        balanceAfter: 10_000,
        reference: 'salary',
        occurredAt: t(1),
      }),
      entry(a, events[2], { kind: 'withdrawal', amount: -2_500, balanceAfter: 7_500, occurredAt: t(2) }),
      entry(a, events[3], { kind: 'deposit', amount: 700, balanceAfter: 8_200, occurredAt: t(3) }),
    ]);
  });

  it('continues the running balance from the stored summary in a later batch', async () => {
    const log = new EventLog();
    const a = randomUUID();
    await db.apply(projection, log.record(account(a).opened(t(0)), account(a).deposited(1_000, t(1))));

    await db.apply(projection, log.record(account(a).withdrawn(300, t(2)), account(a).withdrawn(200, t(3))));

    expect((await readStatement(db)).map((row) => [row.amount, row.balanceAfter])).toEqual([
      [1_000, 1_000],
      [-300, 700],
      [-200, 500],
    ]);
    expect(await readSummaries(db)).toMatchObject([{ balance: 500, version: 4, updatedAt: t(3) }]);
  });

  it('records freezes, releases and closing in the status, with the reason only while frozen', async () => {
    const log = new EventLog();
    const a = randomUUID();
    await db.apply(projection, log.record(account(a).opened(t(0)), account(a).frozen('court order', t(1))));
    expect(await readSummaries(db)).toMatchObject([
      { status: 'frozen', freezeReason: 'court order', version: 2 },
    ]);

    await db.apply(projection, log.record(account(a).unfrozen(t(2))));
    expect(await readSummaries(db)).toMatchObject([
      { status: 'open', freezeReason: null, version: 3, updatedAt: t(2) },
    ]);

    await db.apply(projection, log.record(account(a).frozen('fraud check', t(3)), account(a).closed(t(4))));
    expect(await readSummaries(db)).toMatchObject([
      { status: 'closed', freezeReason: null, version: 5, updatedAt: t(4) },
    ]);
    expect(await readStatement(db)).toEqual([]);
  });

  it('books transfer debits, credits and refunds with the transfer and the counterparty account', async () => {
    const log = new EventLog();
    const [a, b] = [randomUUID(), randomUUID()];
    const [completed, refused, refusedInOneBatch] = [randomUUID(), randomUUID(), randomUUID()];
    await db.apply(
      projection,
      log.record(
        account(a).opened(t(0)),
        account(b).opened(t(0)),
        account(a).deposited(5_000, t(1)),
        account(a).debited(completed, 1_000, b, t(2)),
        account(b).credited(completed, 1_000, a, t(3)),
        account(a).debited(refused, 400, b, t(4)),
      ),
    );
    // One refund reverses a debit stored by an earlier batch, the other a debit in its own batch.
    await db.apply(
      projection,
      log.record(
        account(a).refunded(refused, 400, t(5)),
        account(a).debited(refusedInOneBatch, 250, b, t(6)),
        account(a).refunded(refusedInOneBatch, 250, t(7)),
      ),
    );

    const statement = await readStatement(db);
    const movements = statement.map(
      ({ accountId, kind, amount, balanceAfter, transferId, counterpartyAccountId }) => ({
        account: accountId === a ? 'a' : 'b',
        kind,
        amount,
        balanceAfter,
        transferId,
        counterparty:
          counterpartyAccountId === a ? 'a' : counterpartyAccountId === b ? 'b' : counterpartyAccountId,
      }),
    );
    expect(movements.filter((row) => row.account === 'a')).toEqual([
      {
        account: 'a',
        kind: 'deposit',
        amount: 5_000,
        balanceAfter: 5_000,
        transferId: null,
        counterparty: null,
      },
      {
        account: 'a',
        kind: 'transfer_debit',
        amount: -1_000,
        balanceAfter: 4_000,
        transferId: completed,
        counterparty: 'b',
      },
      {
        account: 'a',
        kind: 'transfer_debit',
        amount: -400,
        balanceAfter: 3_600,
        transferId: refused,
        counterparty: 'b',
      },
      {
        account: 'a',
        kind: 'transfer_refund',
        amount: 400,
        balanceAfter: 4_000,
        transferId: refused,
        counterparty: 'b',
      },
      {
        account: 'a',
        kind: 'transfer_debit',
        amount: -250,
        balanceAfter: 3_750,
        transferId: refusedInOneBatch,
        counterparty: 'b',
      },
      {
        account: 'a',
        kind: 'transfer_refund',
        amount: 250,
        balanceAfter: 4_000,
        transferId: refusedInOneBatch,
        counterparty: 'b',
      },
    ]);
    expect(movements.filter((row) => row.account === 'b')).toEqual([
      {
        account: 'b',
        kind: 'transfer_credit',
        amount: 1_000,
        balanceAfter: 1_000,
        transferId: completed,
        counterparty: 'a',
      },
    ]);
    const balances = Object.fromEntries((await readSummaries(db)).map((row) => [row.accountId, row.balance]));
    expect(balances).toEqual({ [a]: 4_000, [b]: 1_000 });
  });

  it('writes a batch of 500 mixed events over 20 accounts exactly as applying them one by one would', async () => {
    const { accountEvents } = simulateLedger({ accounts: 20, accountEvents: 600, seed: 2 });
    // The accounts exist before the batch, so it must start from the stored balances.
    const [earlier, batch] = [accountEvents.slice(0, 100), accountEvents.slice(100, 600)];
    expect(new Set(batch.map((event) => event.type)).size).toBe(8); // every type but AccountOpened
    expect(new Set(batch.map((event) => event.streamId)).size).toBeGreaterThan(15); // ~25 events each

    await db.apply(projection, earlier);
    const statements = await db.apply(projection, batch);
    const together = { summaries: await readSummaries(db), statement: await readStatement(db) };

    await db.truncate(...ACCOUNT_READ_MODEL_TABLES);
    await db.apply(projection, earlier);
    for (const event of batch) await db.apply(projection, [event]);
    const oneByOne = { summaries: await readSummaries(db), statement: await readStatement(db) };

    expect(statements).toBeLessThanOrEqual(5);
    expect(together.summaries).toHaveLength(20);
    expect(together.statement.length).toBeGreaterThan(400);
    expect(together).toEqual(oneByOne);
  });

  it('refuses a movement of an account that was never opened, and writes nothing of its batch', async () => {
    const log = new EventLog();
    const [a, unknown] = [randomUUID(), randomUUID()];
    const batch = log.record(account(a).opened(t(0)), account(unknown).deposited(100, t(1)));

    await expect(db.apply(projection, batch)).rejects.toMatchObject({
      name: 'ReadModelError',
      code: 'not-created',
    });
    expect(await readSummaries(db)).toEqual([]);
  });

  it('refuses a second opening of an account and an event recorded in another account’s stream', async () => {
    const log = new EventLog();
    const [a, b] = [randomUUID(), randomUUID()];
    await db.apply(projection, log.record(account(a).opened(t(0)), account(b).opened(t(0))));

    await expect(db.apply(projection, log.record(account(a).opened(t(1))))).rejects.toMatchObject({
      code: 'already-created',
    });
    const [misplaced] = log.record(account(a).deposited(100, t(2)));
    await expect(db.apply(projection, [{ ...misplaced, streamId: `account-${b}` }])).rejects.toMatchObject({
      code: 'stream-mismatch',
    });
  });

  it('keeps who did what and when for every account event, lifecycle and movements alike', async () => {
    const log = new EventLog();
    const a = randomUUID();
    const [opened, deposited, frozen] = log.record(
      account(a).opened(t(0)),
      account(a).deposited(500, t(1)),
      account(a).frozen('review', t(2)),
    );
    await db.apply(projection, [
      { ...opened, actor: 'teller-1', actorRole: 'teller' },
      {
        ...deposited,
        actor: 'service:transfer-saga',
        actorRole: 'service',
        originActor: 'alice',
        originActorRole: 'customer',
      },
      frozen,
    ]);
    const rows = await db.rows(`
      select stream_version as version, event_type as type, actor, actor_role as role, origin_actor as origin,
             origin_actor_role as "originRole", correlation_id as correlation, event_id as "eventId",
             detail->>'amount' as amount, global_position::float8 as position,
             to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "recordedAt"
        from account_history where account_id = '${a}' order by stream_version`);
    const expected = (event: typeof opened, fields: object) => ({
      version: event.streamVersion,
      type: event.type,
      eventId: event.eventId,
      correlation: event.correlationId,
      position: event.globalPosition,
      recordedAt: event.recordedAt,
      actor: null,
      role: null,
      origin: null,
      originRole: null,
      amount: null,
      ...fields,
    });
    expect(rows).toEqual([
      expected(opened, { actor: 'teller-1', role: 'teller' }),
      expected(deposited, {
        actor: 'service:transfer-saga',
        role: 'service',
        origin: 'alice',
        originRole: 'customer',
        amount: '500',
      }),
      expected(frozen, {}),
    ]);
  });

  it('ignores events that are not account events', async () => {
    const log = new EventLog();
    const events = log.record(transfer(randomUUID()).requested(randomUUID(), randomUUID(), 100, t(0)));

    expect(await db.apply(projection, events)).toBe(0);
    expect(await readSummaries(db)).toEqual([]);
  });
});

function entry(
  accountId: string,
  event: { streamVersion: number; eventId: string; globalPosition: number; recordedAt: string },
  fields: { kind: string; amount: number; balanceAfter: number; occurredAt: string; reference?: string },
) {
  return {
    accountId,
    streamVersion: event.streamVersion,
    eventId: event.eventId,
    currency: 'EUR',
    reference: null,
    transferId: null,
    counterpartyAccountId: null,
    globalPosition: event.globalPosition,
    recordedAt: event.recordedAt,
    ...fields,
  };
}

describe('accounts projection under a write guard', () => {
  it('waits for its guard’s lock before it touches a read-model table, so a swap holding it can rename them', async () => {
    const swap = await db.pool.connect();
    const batch = await db.pool.connect();
    try {
      await swap.query('begin');
      await swap.query(`select pg_advisory_xact_lock(hashtext('guard-probe'))`);
      await batch.query('begin');
      const events = new EventLog().record(account(randomUUID()).opened(t(0)));
      const guarded = accountsProjection({ guard: { lockKey: 'guard-probe' } });
      const applying = applyProjection(batch, guarded, events);
      await new Promise((resolve) => setTimeout(resolve, 200));

      // What the swap does next: the read-model tables, exclusively. A batch that took a table lock before
      // waiting for the guard would make this fail (and, without nowait, deadlock).
      await swap.query('set local lock_timeout = 1000');
      for (const table of ACCOUNT_READ_MODEL_TABLES)
        await swap.query(`lock table ${table} in access exclusive mode nowait`);
      await swap.query('rollback');
      await applying;
    } finally {
      await swap.query('rollback').catch(() => undefined);
      await batch.query('rollback');
      swap.release();
      batch.release();
    }
  });
});
