import { migrate, migrateIfPending, type MigrationSet } from '@ledger/postgres';
import type { Pool } from 'pg';

/**
 * Tables of the projection runtime, shared by every projection in a database (rows carry the projection
 * name), and who may use them: migration 1 of `projectionRuntimeMigrations`. Idempotent, so databases
 * created before the migration history adopt it. Released: change the runtime's tables by a new migration.
 */
export const projectionSchemaSql = `
create table if not exists projection_checkpoints (
  projection text not null,
  stream_id text not null,
  version bigint not null check (version >= 0),
  updated_at timestamptz not null default now(),
  primary key (projection, stream_id)
);

create table if not exists projection_positions (
  projection text not null,
  topic text not null,
  partition integer not null,
  "offset" bigint not null,
  global_position bigint,
  last_recorded_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (projection, topic, partition)
);

create table if not exists projection_parked_events (
  seq bigint generated always as identity primary key,
  projection text not null,
  stream_id text not null,
  stream_version bigint,
  source_topic text not null,
  source_partition integer not null,
  source_offset bigint not null,
  record_key text,
  record_value bytea,
  record_headers jsonb not null,
  record_timestamp text not null,
  parked_at timestamptz not null default now(),
  unique (projection, source_topic, source_partition, source_offset)
);
create index if not exists projection_parked_events_by_stream on projection_parked_events (projection, stream_id, source_offset);

-- One row per stream whose events wait behind a failed one (the head). The token changes with every
-- publication of the head, so a duplicate or stale retry record is recognised and ignored.
create table if not exists projection_parked_keys (
  projection text not null,
  stream_id text not null,
  head_seq bigint not null references projection_parked_events (seq),
  stage text not null check (stage in ('retry', 'dead-letter')),
  retry_level integer not null check (retry_level >= 0),
  token bigint not null,
  published boolean not null default false,
  not_before timestamptz not null,
  attempts integer not null,
  first_failed_at timestamptz,
  error_class text,
  error_message text,
  parked_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (projection, stream_id)
);
create index if not exists projection_parked_keys_unpublished on projection_parked_keys (projection) where not published;
create sequence if not exists projection_park_tokens;

create table if not exists projection_dead_letters (
  id bigint generated always as identity primary key,
  projection text not null,
  stream_id text not null,
  stream_version bigint,
  event_id text,
  event_type text,
  source_topic text not null,
  source_partition integer not null,
  source_offset bigint not null,
  attempts integer not null,
  first_failed_at timestamptz not null,
  dead_lettered_at timestamptz not null default now(),
  error_class text not null,
  error_message text not null,
  record_key text,
  record_value bytea,
  record_headers jsonb not null,
  record_timestamp text not null,
  status text not null default 'dead' check (status in ('dead', 'redriven', 'discarded')),
  resolved_at timestamptz
);
create index if not exists projection_dead_letters_by_status on projection_dead_letters (projection, status, id);

-- Least privilege (group roles of scripts/db/roles.sql): the projectors and the saga run the runtime, the
-- query API reads its progress. Grants are idempotent, so re-running keeps them as written here.
revoke all on projection_checkpoints, projection_positions, projection_parked_events, projection_parked_keys,
  projection_dead_letters from public;
grant select, insert, update, delete on projection_checkpoints, projection_positions, projection_parked_events,
  projection_parked_keys, projection_dead_letters to ledger_can_run_projections;
grant usage on sequence projection_park_tokens to ledger_can_run_projections;
grant select on projection_checkpoints, projection_positions, projection_parked_keys, projection_parked_events,
  projection_dead_letters to ledger_can_read_views;
-- The ops API redrives and discards dead letters: it moves parking rows and resolves the mirror, nothing else.
grant select, insert, update, delete on projection_parked_keys to ledger_can_operate_dead_letters;
grant select, delete on projection_parked_events to ledger_can_operate_dead_letters;
grant select, update on projection_dead_letters to ledger_can_operate_dead_letters;
grant usage on sequence projection_park_tokens to ledger_can_operate_dead_letters;
`;

/** The channel a commit that records a projection's progress notifies (migration 2). */
export const PROJECTION_PROGRESS_CHANNEL = 'projection_progress';

/**
 * Migration 2: every statement that records a projection's position notifies PROJECTION_PROGRESS_CHANNEL,
 * delivered when its transaction commits, so reads waiting for a position (the query API's minPosition)
 * look again at once instead of at their next poll. A hint without payload: the listener reads the
 * positions and read models itself. Postgres folds identical notifications of one transaction into one.
 */
export const projectionProgressNotifySql = `
create or replace function projection_progress_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('${PROJECTION_PROGRESS_CHANNEL}', '');
  return null;
end
$$;
drop trigger if exists projection_positions_progress on projection_positions;
create trigger projection_positions_progress after insert or update on projection_positions
  for each statement execute function projection_progress_notify();
`;

/** Every table of the runtime: an app that finds them all needs no DDL (and its role may have none). */
export const PROJECTION_TABLES = [
  'projection_checkpoints',
  'projection_positions',
  'projection_parked_events',
  'projection_parked_keys',
  'projection_dead_letters',
] as const;

/** True when every table of the runtime exists, whoever created it. */
export async function hasProjectionSchema(pool: Pool): Promise<boolean> {
  return (await missingTables(pool, PROJECTION_TABLES)).length === 0;
}

/** Which of `tables` do not exist in the connection's search path. */
export async function missingTables(pool: Pool, tables: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    'select name from unnest($1::text[]) as name where to_regclass(name) is null',
    [tables],
  );
  return rows.map((row) => row.name);
}

/**
 * The runtime's numbered migrations (ADR 0018), recorded under `projection-runtime`; `ops-cli setup` applies
 * them as the owner role.
 */
export const projectionRuntimeMigrations: MigrationSet = {
  component: 'projection-runtime',
  migrations: [
    { version: 1, name: 'runtime-tables', sql: projectionSchemaSql },
    { version: 2, name: 'progress-notifications', sql: projectionProgressNotifySql },
  ],
};

/** Applies the runtime's pending migrations and returns them; safe to call from several processes at once. */
export async function ensureProjectionSchema(pool: Pool): Promise<string[]> {
  return migrate(pool, projectionRuntimeMigrations);
}

/** For an app at start: no DDL when every migration is recorded, the pending ones otherwise. */
export async function ensureProjectionSchemaIfPending(pool: Pool): Promise<string[]> {
  return migrateIfPending(pool, projectionRuntimeMigrations);
}
