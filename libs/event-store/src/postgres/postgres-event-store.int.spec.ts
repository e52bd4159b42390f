import { createTestDatabase, type TestDatabase } from '@ledger/testing';
import { Client } from 'pg';
import { describeEventStoreContract } from '../contract/event-store.contract';
import { WrongExpectedVersionError } from '../errors';
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

async function waitUntilAnInsertWaitsOnALock(client: Client): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const { rows } = await client.query<{ waiting: number }>(
      `select count(*)::int as waiting from pg_stat_activity
       where datname = current_database() and wait_event_type = 'Lock' and query like 'insert into events%'`,
    );
    if (rows[0].waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the append never blocked on the uncommitted row');
}
