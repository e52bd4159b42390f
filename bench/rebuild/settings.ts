import { envInteger } from '../lib/env';
/** What one run measures; environment variables shorten a run while developing. */
export interface RebuildBenchSettings {
  readonly adminUrl: string;
  readonly brokers: string[];
  readonly registryUrl: string;
  /** Account events on the topic the read model is rebuilt from. */
  readonly events: number;
  /** Rounds, each on a fresh database over the same topic. */
  readonly rounds: number;
  readonly accounts: number;
  readonly partitions: number;
  readonly mode: 'fast' | 'incremental';
  /** Concurrent query loops against the live tables while the rebuild runs. */
  readonly queryWorkers: number;
  readonly resultsPath: string;
}

function mode(): 'fast' | 'incremental' {
  const raw = process.env.BENCH_MODE ?? 'fast';
  if (raw !== 'fast' && raw !== 'incremental')
    throw new RangeError(`BENCH_MODE must be fast or incremental, got "${raw}"`);
  return raw;
}

export function readSettings(): RebuildBenchSettings {
  return {
    adminUrl: process.env.DATABASE_URL ?? 'postgres://ledger:ledger@127.0.0.1:5432/ledger',
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((broker) => broker.trim()),
    registryUrl: process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
    events: envInteger('BENCH_EVENTS', 1_000_000),
    rounds: envInteger('BENCH_ROUNDS', 3),
    accounts: envInteger('BENCH_ACCOUNTS', 10_000, 2),
    partitions: envInteger('BENCH_PARTITIONS', 6),
    mode: mode(),
    queryWorkers: envInteger('BENCH_QUERY_WORKERS', 2),
    resultsPath: process.env.BENCH_RESULTS ?? 'bench/results/rebuild.md',
  };
}
