import { envInteger } from '../lib/env';
import { DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY } from '@ledger/projections';

/** What one run measures; environment variables shorten a run while developing. */
export interface BenchSettings {
  readonly adminUrl: string;
  readonly brokers: string[];
  readonly registryUrl: string;
  /** Account events on the throughput topic. */
  readonly events: number;
  readonly rounds: number;
  /** Account events on the rebuild topic; 0 skips the rebuild. */
  readonly rebuildEvents: number;
  readonly accounts: number;
  readonly partitions: number;
  /** The projector's `partitionsConsumedConcurrently` (default: the runtime's, as the apps run). */
  readonly concurrency: number;
  readonly maxBatchSize: number;
  readonly resultsPath: string;
}

export function readSettings(): BenchSettings {
  return {
    adminUrl: process.env.DATABASE_URL ?? 'postgres://ledger:ledger@127.0.0.1:5432/ledger',
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((broker) => broker.trim()),
    registryUrl: process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
    events: envInteger('BENCH_EVENTS', 100_000),
    rounds: envInteger('BENCH_ROUNDS', 3),
    rebuildEvents: envInteger('BENCH_REBUILD_EVENTS', 1_000_000, 0),
    accounts: envInteger('BENCH_ACCOUNTS', 10_000, 2),
    partitions: envInteger('BENCH_PARTITIONS', 6),
    concurrency: envInteger('BENCH_CONCURRENCY', DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY),
    maxBatchSize: envInteger('BENCH_BATCH', 500),
    resultsPath: process.env.BENCH_RESULTS ?? 'bench/results/projections.md',
  };
}
