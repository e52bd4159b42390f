import { envInteger } from '../lib/env';
/** What one run measures; environment variables shorten a run while developing. */
export interface RelayBenchSettings {
  readonly rounds: number;
  /** Events seeded into the store before each throughput round. */
  readonly events: number;
  /** Relay batch size, also the raw producer's batch size. */
  readonly batchSize: number;
  /** Commands per second of the latency load, and for how long. */
  readonly rate: number;
  readonly loadSeconds: number;
  readonly partitions: number;
  readonly resultsPath: string;
}

export function readSettings(): RelayBenchSettings {
  return {
    rounds: envInteger('BENCH_ROUNDS', 3),
    events: envInteger('BENCH_EVENTS', 20_000),
    batchSize: envInteger('BENCH_BATCH_SIZE', 1_000),
    rate: envInteger('BENCH_RATE', 200),
    loadSeconds: envInteger('BENCH_LOAD_SECONDS', 20),
    partitions: envInteger('BENCH_PARTITIONS', 6),
    resultsPath: process.env.BENCH_RESULTS ?? 'bench/results/relay.md',
  };
}
