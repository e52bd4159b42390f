import { createTestDatabase, type TestDatabase } from '@ledger/testing';
import { Client } from 'pg';
import { describeEventStoreContract } from '../contract/event-store.contract';
import { WrongExpectedVersionError } from '../errors';
import type { RecordedEvent } from '../types';
import { runMigrations } from '../migrations/run-migrations';
import { PostgresEventStore } from './postgres-event-store';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('event_store');
  await runMigrations(database.url);
});

afterAll(async () => {
  await database?.drop();
});

describeEventStoreContract(
  'PostgresEventStore',
  async ({ upcasters }) => new PostgresEventStore({ connectionString: database.url, poolSize: 4, upcasters }),
);

describe('PostgresEventStore on a racing writer', () => {
  let store: PostgresEventStore;
  let racer: Client;
  // Outside any transaction: pg_stat_activity is frozen for the rest of a transaction once read in it.
  let observer: Client;

  beforeAll(async () => {
    store = new PostgresEventStore({ connectionString: database.url, poolSize: 2 });
    racer = new Client({ connectionString: database.url });
    observer = new Client({ connectionString: database.url });
    await Promise.all([racer.connect(), observer.connect()]);
  });

  afterAll(async () => {
    await Promise.all([racer?.end(), observer?.end()]);
    await store?.close();
  });

  it('maps a unique violation on the stream version to WrongExpectedVersionError', async () => {
    // A writer that bypasses the stream lock holds version 1 uncommitted; the store's append passes its
    // version check (it cannot see that row), blocks on the unique index, and fails once the racer commits.
    const streamId = `account-race-${Date.now()}`;
    await racer.query('begin');
    await racer.query(
      `insert into events (stream_id, stream_type, stream_version, event_id, event_type, schema_version, data)
       values ($1, 'account', 1, gen_random_uuid(), 'ledger.accounts.AccountOpened', 2, '{}')`,
      [streamId],
    );
    const append = store
      .appendToStream(streamId, 'account', 'no_stream', [
        { type: 'ledger.accounts.AccountOpened', schemaVersion: 2, data: {} },
      ])
      .catch((error: unknown) => error);
    await waitUntilAnInsertWaitsOnALock(observer);
    await racer.query('commit');

    const error = await append;
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamId, expected: 'no_stream', actual: 1 });
  });
});

/** The store's append is one call of the append_to_stream function; it waits inside it. */
async function waitUntilAnInsertWaitsOnALock(client: Client): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const { rows } = await client.query<{ waiting: number }>(
      `select count(*)::int as waiting from pg_stat_activity
       where datname = current_database() and wait_event_type = 'Lock' and query like '%from append\\_to\\_stream(%'`,
    );
    if (rows[0].waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the append never blocked on the uncommitted row');
}

describe('PostgresEventStore waking a tail in another store', () => {
  const tick = (n: number) => ({ type: 'ledger.test.Tick', schemaVersion: 1, data: { n } });

  /** Events a subscription of `reader` receives within `ms` after `appends` ran on `writer`; no fallback poll. */
  async function deliveredWithin(writer: PostgresEventStore, ms: number, appends: number): Promise<number> {
    const reader = new PostgresEventStore({ connectionString: database.url, poolSize: 1 });
    const received: RecordedEvent[] = [];
    const controller = new AbortController();
    const prefix = `tick-${Date.now()}-${Math.random()}`;
    let caughtUp: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (caughtUp = resolve));
    const running = reader.subscribeToAll({
      signal: controller.signal,
      pollIntervalMs: 60_000,
      onEvents: (events) => {
        received.push(...events.filter((event) => event.streamId.startsWith(prefix)));
      },
      onCaughtUp: () => caughtUp(),
    });
    try {
      await ready;
      await Promise.all(
        Array.from({ length: appends }, (_, i) =>
          writer.appendToStream(`${prefix}-${i}`, 'test', 'no_stream', [tick(i)]),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, ms));
      return received.length;
    } finally {
      controller.abort();
      await running;
      await reader.close();
    }
  }

  it('wakes it after a burst of appends committed, within a few milliseconds of the last', async () => {
    const writer = new PostgresEventStore({ connectionString: database.url, poolSize: 8 });
    try {
      expect(await deliveredWithin(writer, 500, 40)).toBe(40);
    } finally {
      await writer.close();
    }
  });

  it('leaves it asleep until its poll when appends do not notify', async () => {
    const writer = new PostgresEventStore({
      connectionString: database.url,
      poolSize: 8,
      appendNotifyIntervalMs: 0,
    });
    try {
      expect(await deliveredWithin(writer, 500, 40)).toBe(0);
    } finally {
      await writer.close();
    }
  });
});
