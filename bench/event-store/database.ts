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

/**
 * Installs or removes the NOTIFY-per-append trigger the store used to have (its function stays in the
 * schema), for the A/B of the wake-up's cost and for the previous write path.
 */
export const setAppendTrigger = (url: string, on: boolean): Promise<void> =>
  execute(
    url,
    on
      ? `create or replace trigger events_notify_appended after insert on events
         for each statement execute function events_notify_appended()`
      : 'drop trigger if exists events_notify_appended on events',
  );

/**
 * Fills the events table with other streams, then refreshes the planner statistics. A stream read then
 * sees what it sees in production, where one stream is a sliver of the table: with only the benchmark's
 * own streams, the planner rightly prefers scanning the whole table.
 */
export async function addOtherStreams(url: string, streams: number, eventsEach: number): Promise<void> {
  await execute(
    url,
    `insert into events (stream_id, stream_type, stream_version, event_id, event_type, schema_version, data, metadata)
     select 'account-other-' || s, 'account', v, gen_random_uuid(), 'ledger.accounts.MoneyDeposited', 1,
            jsonb_build_object('accountId', gen_random_uuid(), 'amount', 1000, 'currency', 'EUR',
                               'reference', 'bench-deposit', 'depositedAt', statement_timestamp()),
            jsonb_build_object('correlationId', gen_random_uuid(), 'actor', 'bench-client')
     from generate_series(1, ${eventsEach}) v, generate_series(1, ${streams}) s`,
  );
  await execute(url, 'analyze events');
}

async function execute(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
