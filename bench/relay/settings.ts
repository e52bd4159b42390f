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

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export function readSettings(): RelayBenchSettings {
  return {
    rounds: positiveInteger('BENCH_ROUNDS', 3),
    events: positiveInteger('BENCH_EVENTS', 20_000),
    batchSize: positiveInteger('BENCH_BATCH_SIZE', 1_000),
    rate: positiveInteger('BENCH_RATE', 200),
    loadSeconds: positiveInteger('BENCH_LOAD_SECONDS', 20),
    partitions: positiveInteger('BENCH_PARTITIONS', 6),
    resultsPath: process.env.BENCH_RESULTS ?? 'bench/results/relay.md',
  };
}
