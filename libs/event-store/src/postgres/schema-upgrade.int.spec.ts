import { createTestDatabase, type TestDatabase } from '@ledger/testing';
import { Pool } from 'pg';
import { runMigrations } from '../migrations/run-migrations';
import { UpcasterRegistry } from '../upcasters';
import { PostgresEventStore } from './postgres-event-store';
import { staleSchemaVersions, upgradeEventSchemas } from './schema-upgrade';

// The one sanctioned rewrite of stored events, owned by the store: old schema versions become the version
// the store reads them as, as the owner role, while the trigger keeps refusing every other update.
describe('upgrading stored events to their current schema version', () => {
  let database: TestDatabase;
  let owner: Pool;
  let store: PostgresEventStore;
  const upcasters = new UpcasterRegistry().register<{ n: number }, { n: number; unit: string }>(
    'noted',
    1,
    (data) => ({ ...data, unit: 'minor' }),
  );
  const current = (type: string) => (type === 'noted' ? 2 : undefined);

  beforeAll(async () => {
    database = await createTestDatabase('schema_upgrade');
    await runMigrations(database.urlAs('owner'));
    owner = new Pool({ connectionString: database.urlAs('owner'), max: 2 });
    store = new PostgresEventStore({ connectionString: database.urlAs('owner'), upcasters });
    await store.appendToStream('note-1', 'note', 'no_stream', [
      { type: 'noted', schemaVersion: 1, data: { n: 1 } },
      { type: 'noted', schemaVersion: 2, data: { n: 2, unit: 'minor' } },
      { type: 'other', schemaVersion: 1, data: {} },
    ]);
    await store.appendToStream('note-2', 'note', 'no_stream', [
      { type: 'noted', schemaVersion: 1, data: { n: 3 } },
    ]);
  });
  afterAll(async () => {
    await store?.close();
    await owner?.end();
    await database?.drop();
  });

  const stored = async () =>
    (
      await owner.query(
        'select stream_id, stream_version, schema_version, data from events order by global_position',
      )
    ).rows;

  it('counts the events below their current version, leaving unknown types alone', async () => {
    expect(await staleSchemaVersions(owner, current)).toEqual([
      { type: 'noted', schemaVersion: 1, currentVersion: 2, count: 2 },
    ]);
  });

  it('refuses a plain update of an event, even by the owner', async () => {
    await expect(owner.query(`update events set data = '{}' where stream_id = 'note-1'`)).rejects.toThrow(
      /events are immutable/,
    );
  });

  it('rewrites them through the upcasters in batches, and nothing else', async () => {
    const progress: number[] = [];
    const stale = await staleSchemaVersions(owner, current);
    expect(
      await upgradeEventSchemas(owner, store, stale, {
        batchSize: 1,
        onProgress: (done) => progress.push(done),
      }),
    ).toBe(2);
    expect(progress).toEqual([1, 2]);
    expect(await stored()).toEqual([
      { stream_id: 'note-1', stream_version: 1, schema_version: 2, data: { n: 1, unit: 'minor' } },
      { stream_id: 'note-1', stream_version: 2, schema_version: 2, data: { n: 2, unit: 'minor' } },
      { stream_id: 'note-1', stream_version: 3, schema_version: 1, data: {} },
      { stream_id: 'note-2', stream_version: 1, schema_version: 2, data: { n: 3, unit: 'minor' } },
    ]);
    expect(await staleSchemaVersions(owner, current)).toEqual([]);
  });
});
