import { createTestDatabase, type TestDatabase } from '@ledger/testing';
import { Client } from 'pg';
import { createEventStoreDataSource, eventStoreMigrations, runMigrations } from './run-migrations';

describe('event store migrations', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('event_store_migrations');
  });

  afterAll(async () => {
    await database?.drop();
  });

  const tables = async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string }>(
        `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      );
      return rows.map((row) => row.table_name);
    } finally {
      await client.end();
    }
  };

  it('creates the schema once, even when runners race, and reverts it completely', async () => {
    const runs = await Promise.all([runMigrations(database.url), runMigrations(database.url)]);
    expect(runs.flat()).toEqual([
      'CreateEventStore1764460800000',
      'LeastPrivilege1764547200000',
      'ReconciliationDigests1764720000000',
      'AppendFunction1764979200000',
    ]);
    expect(await tables()).toEqual([
      'checkpoints',
      'event_store_migrations',
      'events',
      'idempotency_keys',
      'snapshots',
    ]);
    expect(await runMigrations(database.url)).toEqual([]);

    const dataSource = createEventStoreDataSource(database.url);
    await dataSource.initialize();
    try {
      for (const _ of eventStoreMigrations) await dataSource.undoLastMigration();
    } finally {
      await dataSource.destroy();
    }
    expect(await tables()).toEqual(['event_store_migrations']);
  });
});
