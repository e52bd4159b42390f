import type { PoolClient } from 'pg';
import { tablesOf, versionSuffix, type ReadModelName } from './models';

type Db = Pick<PoolClient, 'query'>;

interface IndexInfo {
  name: string;
  definition: string;
  primary: boolean;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

async function indexesOf(db: Db, table: string): Promise<IndexInfo[]> {
  const { rows } = await db.query<IndexInfo>(
    `select c.relname as name, pg_get_indexdef(i.indexrelid) as definition, i.indisprimary as primary
       from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = to_regclass($1) order by c.relname`,
    [table],
  );
  return rows;
}

/** An index definition of the canonical table, rewritten to build `name` on `table` instead. */
export function retargetIndex(definition: string, name: string, table: string): string {
  const match = /^(CREATE (?:UNIQUE )?INDEX )(\S+)( ON (?:ONLY )?)(?:(\S+)\.)?(\S+)( USING .*)$/s.exec(
    definition,
  );
  if (!match) throw new Error(`unexpected index definition: ${definition}`);
  const schema = match[4] ? `${match[4]}.` : '';
  return `${match[1]}${quote(name)}${match[3]}${schema}${quote(table)}${match[6]}`;
}

async function copyGrants(db: Db, from: string, to: string): Promise<void> {
  const { rows } = await db.query<{ grantee: string; privileges: string }>(
    `select r.rolname as grantee, string_agg(distinct a.privilege_type, ', ') as privileges
       from pg_class c cross join lateral aclexplode(c.relacl) a join pg_roles r on r.oid = a.grantee
      where c.oid = to_regclass($1) and a.grantee <> c.relowner group by r.rolname`,
    [from],
  );
  await db.query(`revoke all on ${quote(to)} from public`);
  for (const row of rows) await db.query(`grant ${row.privileges} on ${quote(to)} to ${quote(row.grantee)}`);
}

/**
 * An unlogged one-row table beside a fast build: Postgres empties unlogged tables when it recovers from a
 * crash, so an empty sentinel says the unlogged shadow lost rows its (logged) checkpoints still count.
 */
const sentinelOf = (model: ReadModelName, version: number) =>
  `read_model_sentinel_${model}${versionSuffix(version)}`;

/** A fast build lost its unlogged rows to a Postgres crash: it must be run again, not swapped in. */
export class ShadowLostError extends Error {
  override readonly name = 'ShadowLostError';
}

export interface ShadowOptions {
  /**
   * Fast build: unlogged tables with their primary keys only; the other indexes and WAL logging come in
   * `finishShadow`, before the swap. Otherwise the shadow gets every index from the start, as live.
   */
  fast: boolean;
}

/**
 * Creates the tables of `version` as empty copies of the canonical ones (columns, defaults, checks,
 * indexes, grants: what `ops-cli setup` made them), under the version's suffix. Leftovers of an abandoned
 * build of the same version are dropped first.
 */
export async function createShadow(
  db: Db,
  model: ReadModelName,
  version: number,
  options: ShadowOptions,
): Promise<void> {
  const suffix = versionSuffix(version);
  for (const table of tablesOf(model)) {
    const shadow = `${table}${suffix}`;
    await db.query(`drop table if exists ${quote(shadow)}`);
    await db.query(
      `create ${options.fast ? 'unlogged ' : ''}table ${quote(shadow)} (like ${quote(table)} including defaults including constraints)`,
    );
    for (const index of await indexesOf(db, table)) {
      if (options.fast && !index.primary) continue;
      await db.query(retargetIndex(index.definition, `${index.name}${suffix}`, shadow));
      if (index.primary) {
        const name = quote(`${index.name}${suffix}`);
        await db.query(`alter table ${quote(shadow)} add constraint ${name} primary key using index ${name}`);
      }
    }
    await copyGrants(db, table, shadow);
  }
  if (options.fast) {
    const sentinel = quote(sentinelOf(model, version));
    await db.query(`drop table if exists ${sentinel}`);
    await db.query(`create unlogged table ${sentinel} (intact boolean not null)`);
    await db.query(`insert into ${sentinel} values (true)`);
  }
}

/**
 * Sets the tables of a fast build logged (or back to unlogged) while they are empty, which costs nothing:
 * a bulk load writes logged tables from the start, its WAL written while it still decodes, instead of
 * `finishShadow` rewriting every table into the WAL once the load is over.
 */
export async function setShadowLogged(
  db: Db,
  model: ReadModelName,
  version: number,
  logged: boolean,
): Promise<void> {
  for (const table of tablesOf(model))
    await db.query(
      `alter table ${quote(`${table}${versionSuffix(version)}`)} set ${logged ? 'logged' : 'unlogged'}`,
    );
}

/** After a fast load: the secondary indexes, built once over all rows, then WAL logging. */
export async function finishShadow(db: Db, model: ReadModelName, version: number): Promise<void> {
  const suffix = versionSuffix(version);
  for (const table of tablesOf(model)) {
    const shadow = `${table}${suffix}`;
    const present = new Set((await indexesOf(db, shadow)).map((index) => index.name));
    for (const index of await indexesOf(db, table)) {
      const name = `${index.name}${suffix}`;
      if (!present.has(name)) await db.query(retargetIndex(index.definition, name, shadow));
    }
    await db.query(`alter table ${quote(shadow)} set logged`);
    await db.query(`analyze ${quote(shadow)}`);
  }
  // Checked after the tables are logged: a crash before that emptied them, and the sentinel with them.
  const sentinel = quote(sentinelOf(model, version));
  const { rows } = await db.query(`select 1 from ${sentinel}`);
  if (rows.length === 0)
    throw new ShadowLostError(
      `Postgres restarted during the fast build of ${model} version ${version}: its unlogged tables were emptied; run the rebuild again`,
    );
  await db.query(`drop table ${sentinel}`);
}

/**
 * Inside the swap's transaction: the canonical tables (and their indexes) take the suffix of `previous`,
 * the shadow of `next` takes the canonical names. DDL is transactional, so queries see one or the other.
 */
export async function swapTables(
  db: Db,
  model: ReadModelName,
  previous: number,
  next: number,
): Promise<void> {
  const oldSuffix = versionSuffix(previous);
  const newSuffix = versionSuffix(next);
  for (const table of tablesOf(model)) {
    for (const index of await indexesOf(db, table))
      await db.query(`alter index ${quote(index.name)} rename to ${quote(`${index.name}${oldSuffix}`)}`);
    await db.query(`alter table ${quote(table)} rename to ${quote(`${table}${oldSuffix}`)}`);
    const shadow = `${table}${newSuffix}`;
    for (const index of await indexesOf(db, shadow)) {
      if (!index.name.endsWith(newSuffix)) continue;
      const canonical = index.name.slice(0, -newSuffix.length);
      await db.query(`alter index ${quote(index.name)} rename to ${quote(canonical)}`);
    }
    await db.query(`alter table ${quote(shadow)} rename to ${quote(table)}`);
  }
}

/** Drops the tables of a version that is not active (a retired one after its grace, or a failed shadow). */
export async function dropVersionTables(db: Db, model: ReadModelName, version: number): Promise<void> {
  for (const table of tablesOf(model))
    await db.query(`drop table if exists ${quote(`${table}${versionSuffix(version)}`)}`);
  await db.query(`drop table if exists ${quote(sentinelOf(model, version))}`);
}
