import { envInteger, envIntegerList } from '../lib/env';
/** What one run measures; environment variables shorten a run while developing. */
export interface BenchSettings {
  readonly adminUrl: string;
  readonly pgbench: string;
  /** Length of each throughput point (whole seconds: pgbench -T takes no fractions). */
  readonly seconds: number;
  readonly rounds: number;
  readonly concurrency: readonly number[];
  readonly streamLength: number;
  readonly snapshotEvery: number;
  readonly loads: number;
  readonly resultsPath: string;
}

// 3 rounds × (3 levels × 6 variants + 3 loads × 3 wake-ups) × 8 s: about twelve minutes on a 2-core machine.
export function readSettings(): BenchSettings {
  return {
    adminUrl: process.env.DATABASE_URL ?? 'postgres://ledger:ledger@127.0.0.1:5432/ledger',
    pgbench: process.env.PGBENCH ?? `${process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin'}/pgbench`,
    seconds: envInteger('BENCH_SECONDS', 8),
    rounds: envInteger('BENCH_ROUNDS', 3),
    concurrency: envIntegerList('BENCH_CONCURRENCY', [1, 8, 32]),
    streamLength: envInteger('BENCH_STREAM_LENGTH', 10_000),
    snapshotEvery: envInteger('BENCH_SNAPSHOT_EVERY', 100),
    loads: envInteger('BENCH_LOADS', 20),
    resultsPath: process.env.BENCH_RESULTS ?? 'bench/results/event-store.md',
  };
}
