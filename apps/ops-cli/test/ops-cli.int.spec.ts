import { handleCommand, ledgerUpcasters } from '@ledger/application';
import { accountDecider, accountStreamId } from '@ledger/domain';
import { PostgresEventStore, runMigrations } from '@ledger/event-store';
import { createTestDatabase, TestDatabase } from '@ledger/testing';
import { randomUUID } from 'node:crypto';
import { run } from '../src/main';
import { captureCliOutput, restoreEnvAfterAll } from './support/cli';

describe('ops-cli', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  const output = captureCliOutput();
  restoreEnvAfterAll('DATABASE_URL');

  beforeAll(async () => {
    database = await createTestDatabase('ops');
    await runMigrations(database.url);
    process.env.DATABASE_URL = database.url;
    store = new PostgresEventStore({ connectionString: database.url, upcasters: ledgerUpcasters() });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  async function openAccount(): Promise<string> {
    const accountId = randomUUID();
    const streamId = accountStreamId(accountId);
    const now = new Date().toISOString();
    await handleCommand(store, accountDecider, {
      streamId,
      command: { type: 'OpenAccount', accountId, ownerId: 'ops', currency: 'EUR', now },
      metadata: {},
    });
    const saga = {
      actor: 'service:transfer-saga',
      actorRole: 'service',
      originActor: 'alice',
      originActorRole: 'customer',
    };
    await handleCommand(store, accountDecider, {
      streamId,
      command: { type: 'DepositMoney', accountId, amount: 250, currency: 'EUR', reference: null, now },
      metadata: saga,
    });
    return streamId;
  }

  it('sets up a fresh database idempotently', async () => {
    expect(await run(['setup'])).toBe(0);
    expect(output.stdout).toContain('Avro schemas: 22 versions registered');
    expect(await run(['setup'])).toBe(0);
    expect(output.stdout).toContain('event store schema: up to date');
  });

  it('inspects a stream as JSON, up to a version', async () => {
    const streamId = await openAccount();
    expect(await run(['--json', 'inspect', streamId])).toBe(0);
    expect(JSON.parse(output.stdout)).toMatchObject({
      streamId,
      version: 2,
      state: { status: 'open', balance: 250 },
      events: [{ actor: '(unknown)' }, { actor: 'service:transfer-saga (service) for alice (customer)' }],
    });
    output.stdout = '';
    expect(await run(['inspect', streamId])).toBe(0);
    expect(output.stdout).toContain('by service:transfer-saga (service) for alice (customer)');
    output.stdout = '';
    expect(await run(['--json', 'inspect', streamId, '--version', '1'])).toBe(0);
    expect(JSON.parse(output.stdout)).toMatchObject({ version: 1, state: { balance: 0 } });
  });

  it('inspects a stream on both time axes: what was in effect at one time, as known at another', async () => {
    const accountId = randomUUID();
    const streamId = accountStreamId(accountId);
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
    await handleCommand(store, accountDecider, {
      streamId,
      command: { type: 'OpenAccount', accountId, ownerId: 'ops', currency: 'EUR', now: hoursAgo(2) },
      metadata: {},
    });
    await handleCommand(store, accountDecider, {
      streamId,
      command: {
        type: 'DepositMoney',
        accountId,
        amount: 250,
        currency: 'EUR',
        reference: null,
        now: hoursAgo(2),
      },
      metadata: {},
    });
    // recorded_at has microseconds, a Date milliseconds: step past the millisecond of the last append, or
    // `beforeLateEntry` may fall before it when the append is fast.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const beforeLateEntry = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // A deposit that took effect an hour ago but was only recorded now: a late booking.
    const effective = hoursAgo(1);
    await handleCommand(store, accountDecider, {
      streamId,
      command: {
        type: 'DepositMoney',
        accountId,
        amount: 40,
        currency: 'EUR',
        reference: null,
        now: effective,
      },
      metadata: {},
    });
    const inspect = async (...options: string[]) => {
      output.stdout = '';
      expect(await run(['--json', 'inspect', streamId, ...options])).toBe(0);
      return JSON.parse(output.stdout);
    };
    const halfAnHourAgo = hoursAgo(0.5);
    expect(await inspect('--known-at', beforeLateEntry.toISOString())).toMatchObject({
      version: 2,
      state: { balance: 250 },
    });
    expect(await inspect()).toMatchObject({ version: 3, state: { balance: 290 } });
    const late = await inspect('--as-of', halfAnHourAgo);
    expect(late).toMatchObject({ asOf: halfAnHourAgo, version: 3, state: { balance: 290 } });
    expect(late.events.at(-1)).toMatchObject({ effectiveAt: effective, recordedAt: expect.any(String) });
    expect(Date.parse(late.events.at(-1).recordedAt)).toBeGreaterThan(beforeLateEntry.getTime());
    expect(await inspect('--as-of', hoursAgo(1.5))).toMatchObject({ version: 2, state: { balance: 250 } });
  });

  it.each([
    [['inspect', 'account-x', '--known-at', 'yesterday'], 'not an ISO-8601 time'],
    [['inspect', 'nonsense-1'], 'stream ids start with account- or transfer-'],
    [['inspect', `account-${'0'.repeat(8)}`], 'has no events'],
    [['inspect', 'account-x', '--version', '-3'], ''],
    [['projections', 'replay', 'no.such.projection', '--yes'], 'unknown projection'],
    [['dlq', 'redrive', 'ledger.projector.accounts'], '--stream <streamId> or --all'],
    [['no-such-command'], ''],
    [['setup', '--partitions', '0'], 'expected a positive integer'],
    [['setup', '--replication-factor', 'three'], 'expected a positive integer'],
  ])('refuses %j with exit code 2 and a clear message', async (argv, message) => {
    expect(await run(argv)).toBe(2);
    expect(output.stderr).toContain(message);
  });

  it('rebuilds a snapshot that the next load starts from', async () => {
    const streamId = await openAccount();
    expect(await run(['snapshots-rebuild', streamId])).toBe(0);
    const snapshot = await store.readSnapshot(streamId, accountDecider.stateVersion);
    expect(snapshot).toMatchObject({ streamVersion: 2, state: { balance: 250 } });
  });

  it('rewrites events of an old schema version, after a dry run that changes nothing', async () => {
    const accountId = randomUUID();
    const streamId = accountStreamId(accountId);
    const v1 = {
      accountId,
      ownerId: 'legacy',
      currency: 'EUR',
      overdraftLimit: 0,
      openedAt: new Date().toISOString(),
    };
    await store.appendToStream(streamId, 'account', 'no_stream', [
      { type: 'ledger.accounts.AccountOpened', schemaVersion: 1, data: v1 },
    ]);
    const stored = async () =>
      (await storeQuery(`select schema_version, data from events where stream_id = '${streamId}'`))[0];

    expect(await run(['events-migrate'])).toBe(0);
    expect(output.stdout).toContain('ledger.accounts.AccountOpened v1: 1 event(s) → v2');
    expect((await stored()).schema_version).toBe(1);

    expect(await run(['events-migrate', '--execute'])).toBe(0);
    expect(await stored()).toEqual({ schema_version: 2, data: { ...v1, dailyWithdrawalLimit: 100_000_000 } });
  });

  it('reads a transfer step stored as v1 with its frozen time as the request time, and rewrites it as v2', async () => {
    const transferId = randomUUID();
    const streamId = `transfer-${transferId}`;
    const frozen = '2024-11-05T08:00:00.000Z';
    await store.appendToStream(streamId, 'transfer', 'no_stream', [
      {
        type: 'ledger.transfers.TransferRequested',
        schemaVersion: 1,
        data: {
          transferId,
          fromAccountId: randomUUID(),
          toAccountId: randomUUID(),
          amount: 5,
          currency: 'EUR',
          requestedAt: frozen,
        },
      },
      {
        type: 'ledger.transfers.TransferSourceDebited',
        schemaVersion: 1,
        data: { transferId, debitedAt: frozen },
      },
    ]);
    const [, debited] = await store.readStream(streamId);
    expect(debited).toMatchObject({
      schemaVersion: 2,
      data: { transferId, debitedAt: frozen, requestedAt: frozen },
    });

    expect(await run(['events-migrate', '--execute'])).toBe(0);
    expect(output.stdout).toContain('ledger.transfers.TransferSourceDebited v1: 1 event(s) → v2');
    const stored = await storeQuery(
      `select schema_version, data from events where stream_id = '${streamId}' and stream_version = 2`,
    );
    expect(stored).toEqual([
      { schema_version: 2, data: { transferId, debitedAt: frozen, requestedAt: frozen } },
    ]);
  });

  async function storeQuery(sql: string) {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }
});
