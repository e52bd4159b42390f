import { DataSource } from 'typeorm';
import { CreateEventStore1764460800000 } from './1764460800000-create-event-store';
import { LeastPrivilege1764547200000 } from './1764547200000-least-privilege';
import { ReconciliationDigests1764720000000 } from './1764720000000-reconciliation-digests';
import { AppendFunction1764979200000 } from './1764979200000-append-function';

/** The store's migrations in order, for a DataSource that also runs other schemas' migrations. */
export const eventStoreMigrations = [
  CreateEventStore1764460800000,
  LeastPrivilege1764547200000,
  ReconciliationDigests1764720000000,
  AppendFunction1764979200000,
];

/** Its own history table, so the store's schema evolves independently of other libraries' migrations. */
export const EVENT_STORE_MIGRATIONS_TABLE = 'event_store_migrations';

/** A TypeORM DataSource that knows only the event store's migrations; the caller initializes and destroys it. */
export function createEventStoreDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    migrations: eventStoreMigrations,
    migrationsTableName: EVENT_STORE_MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
  });
}

// Serializes concurrent runners (a migration job racing an app start): both would otherwise see the same
// migration as pending. Advisory locks are per database, so test databases do not block each other.
const MIGRATION_LOCK = 'select pg_advisory_lock(hashtext($1))';
const MIGRATION_UNLOCK = 'select pg_advisory_unlock(hashtext($1))';

/** Applies pending event store migrations to the database at `url`; returns the names it applied. */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = createEventStoreDataSource(url);
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query(MIGRATION_LOCK, [EVENT_STORE_MIGRATIONS_TABLE]);
    const applied = await dataSource.runMigrations();
    await lock.query(MIGRATION_UNLOCK, [EVENT_STORE_MIGRATIONS_TABLE]);
    return applied.map((migration) => migration.name);
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}
