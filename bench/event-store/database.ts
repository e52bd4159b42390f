import { runMigrations } from '@ledger/event-store';
import { createTestDatabase, type TestDatabase } from '@ledger/testing';
import { Client } from 'pg';

/**
 * The raw INSERT baseline writes here: an identity key, the stream and type as text and the same jsonb
 * payload and metadata as an event, without the store's unique constraints, log index and trigger.
 */
const BASELINE_TABLE = `
  create table baseline_events (
    id bigserial primary key,
    stream_id text not null,
    event_type text not null,
    data jsonb not null,
    metadata jsonb not null,
    recorded_at timestamptz not null default statement_timestamp()
  )`;

/** A fresh database holding the event store's schema and the baseline table; drop it when done. */
export async function createBenchDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase('bench_event_store');
  try {
    await runMigrations(database.url);
    await execute(database.url, BASELINE_TABLE);
    return database;
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** Every point starts from empty tables, so no point pays for the rows an earlier one left behind. */
export const emptyTables = (url: string): Promise<void> =>
  execute(url, 'truncate events, snapshots, idempotency_keys, baseline_events restart identity');

async function execute(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
