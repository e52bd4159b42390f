import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { withTransaction } from './transaction';

/**
 * One numbered step of a schema. Applied once, in order, and recorded; never edited after release (the
 * recorded checksum refuses that): a change is a new step. Steps that may meet tables a database already
 * has from before its history was recorded are written idempotently (`if not exists`).
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The migrations of one owner's tables (a component), recorded apart from every other component's. */
export interface MigrationSet {
  /** Names the history rows, e.g. `projection-runtime`, `read-model.accounts`. */
  readonly component: string;
  readonly migrations: readonly Migration[];
}

export interface MigrateOptions {
  /**
   * A Postgres schema to build the tables in (created when missing; its tables resolve first, then the
   * connection's search path); recorded as `<schema>.<component>`, so one set can build several copies.
   */
  readonly schema?: string;
}

/** The history of every component in one table (ADR 0018). */
export const MIGRATIONS_TABLE = 'schema_migrations';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
// One lock for every component: concurrent first runs would otherwise race on creating the history table.
const LOCK = `select pg_advisory_xact_lock(hashtext('ledger.schema_migrations'))`;

const checksum = (migration: Migration) => createHash('sha256').update(migration.sql).digest('hex');

function recordedName(set: MigrationSet, options: MigrateOptions): string {
  if (options.schema !== undefined && !IDENTIFIER.test(options.schema))
    throw new RangeError(`schema must be a lower-case SQL identifier, got "${options.schema}"`);
  return options.schema ? `${options.schema}.${set.component}` : set.component;
}

function assertWellFormed(set: MigrationSet): void {
  set.migrations.forEach((migration, index) => {
    if (migration.version !== index + 1)
      throw new Error(
        `${set.component}: migrations must be numbered 1..N in order, found ${migration.version}`,
      );
  });
}

/** The migrations of `set` not yet recorded in the database (all of them when it has no history). */
export async function pendingMigrations(
  pool: Pool | PoolClient,
  set: MigrationSet,
  options: MigrateOptions = {},
): Promise<Migration[]> {
  assertWellFormed(set);
  const { rows: exists } = await pool.query<{ present: boolean }>(
    `select to_regclass($1) is not null as present`,
    [MIGRATIONS_TABLE],
  );
  if (!exists[0]!.present) return [...set.migrations];
  const { rows } = await pool.query<{ version: number; checksum: string }>(
    `select version, checksum from ${MIGRATIONS_TABLE} where component = $1`,
    [recordedName(set, options)],
  );
  const recorded = new Map(rows.map((row) => [row.version, row.checksum]));
  for (const migration of set.migrations) {
    const sum = recorded.get(migration.version);
    if (sum !== undefined && sum !== checksum(migration))
      throw new Error(
        `${set.component} migration ${migration.version} (${migration.name}) differs from the one applied: add a new migration instead of editing a released one`,
      );
  }
  const known = new Set(set.migrations.map((migration) => migration.version));
  const unknown = [...recorded.keys()].filter((version) => !known.has(version));
  if (unknown.length > 0)
    throw new Error(
      `${set.component}: the database has migration(s) ${unknown.join(', ')} this code does not know (a newer release applied them)`,
    );
  return set.migrations.filter((migration) => !recorded.has(migration.version));
}

/**
 * Applies the pending migrations of `set` in one transaction, recording each; returns `<version>-<name>` of
 * those applied. Safe to run from several processes at once (they queue on an advisory lock) and again.
 */
export async function migrate(
  pool: Pool,
  set: MigrationSet,
  options: MigrateOptions = {},
): Promise<string[]> {
  const component = recordedName(set, options);
  return withTransaction(pool, async (client) => {
    await client.query(LOCK);
    const { rows } = await client.query<{ present: boolean }>(
      `select to_regclass($1) is not null as present`,
      [MIGRATIONS_TABLE],
    );
    if (!rows[0]!.present) {
      await client.query(`create table ${MIGRATIONS_TABLE} (
        component  text        not null,
        version    integer     not null check (version > 0),
        name       text        not null,
        checksum   text        not null,
        applied_at timestamptz not null default now(),
        primary key (component, version)
      )`);
      // Every role may see which migrations a database has: apps check it at start without any DDL right.
      await client.query(`grant select on ${MIGRATIONS_TABLE} to public`);
    }
    const pending = await pendingMigrations(client, set, options);
    const searchPath = (await client.query<{ search_path: string }>('show search_path')).rows[0]!.search_path;
    const setSearchPath = (path: string) =>
      client.query(`select set_config('search_path', $1, true)`, [path]);
    if (options.schema) await client.query(`create schema if not exists ${options.schema}`);
    for (const migration of pending) {
      if (options.schema) await setSearchPath(`${options.schema}, ${searchPath}`);
      await client.query(migration.sql);
      if (options.schema) await setSearchPath(searchPath);
      await client.query(
        `insert into ${MIGRATIONS_TABLE} (component, version, name, checksum) values ($1, $2, $3, $4)`,
        [component, migration.version, migration.name, checksum(migration)],
      );
    }
    return pending.map((migration) => `${migration.version}-${migration.name}`);
  });
}

/**
 * For an app at start: nothing when the database holds every migration of `set` (its least-privileged role
 * may run no DDL), else applies them (failing, naming the permission, when the role may not: run
 * `ops-cli setup`). Returns what it applied.
 */
export async function migrateIfPending(
  pool: Pool,
  set: MigrationSet,
  options: MigrateOptions = {},
): Promise<string[]> {
  return (await pendingMigrations(pool, set, options)).length === 0 ? [] : migrate(pool, set, options);
}
