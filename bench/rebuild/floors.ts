import { performance } from 'node:perf_hooks';
import { accountTables } from '@ledger/read-models';
import type { Pool } from 'pg';

/**
 * Postgres alone writing what a rebuild of the accounts model writes: the live tables' rows copied with
 * `insert … select` (no parsing, no network, no client) into empty tables with the same columns,
 * constraints and indexes, the three tables side by side. No loader can write these rows faster on this
 * Postgres, so it is the floor of the rebuild's writes. Returns the wall time in milliseconds.
 */
export async function postgresWriteFloor(pool: Pool): Promise<number> {
  const tables = Object.values(accountTables());
  const copy = (table: string) => `bench_floor_${table}`;
  for (const table of tables) {
    await pool.query(`drop table if exists ${copy(table)}`);
    await pool.query(`create table ${copy(table)} (like ${table} including all)`);
  }
  try {
    const started = performance.now();
    await Promise.all(tables.map((table) => pool.query(`insert into ${copy(table)} select * from ${table}`)));
    return performance.now() - started;
  } finally {
    for (const table of tables) await pool.query(`drop table if exists ${copy(table)}`);
  }
}
