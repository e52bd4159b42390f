import type { BenchSettings } from './settings';
import { commandAppend, storeAppend, type AppendWorkload } from './append-throughput';
import { emptyTables } from './database';
import { pgbenchInsertsPerSecond } from './pgbench';

export type Variant = 'pgbench' | 'store' | 'command';

/** Events per second of each variant, one value per round, at one concurrency level. */
export interface ThroughputPoint {
  readonly concurrency: number;
  readonly perRound: Readonly<Record<Variant, readonly number[]>>;
}

const VARIANTS: readonly Variant[] = ['pgbench', 'store', 'command'];

/**
 * Every round measures every variant at every level. At each level the variants take turns going first
 * from round to round, so drift on a shared machine (another process starting, the server checkpointing)
 * does not always favour the same one.
 */
export async function measureThroughput(
  settings: BenchSettings,
  databaseUrl: string,
  progress: (line: string) => void,
): Promise<ThroughputPoint[]> {
  const workloads: Record<Variant, AppendWorkload> = {
    pgbench: (url, concurrency, seconds) =>
      pgbenchInsertsPerSecond(settings.pgbench, url, concurrency, seconds),
    store: storeAppend,
    command: commandAppend(settings.snapshotEvery),
  };
  const points = settings.concurrency.map((concurrency) => ({
    concurrency,
    perRound: { pgbench: [] as number[], store: [] as number[], command: [] as number[] },
  }));
  for (let round = 1; round <= settings.rounds; round++) {
    for (const [level, point] of points.entries()) {
      const first = (round - 1 + level) % VARIANTS.length;
      const order = VARIANTS.map((_, index) => VARIANTS[(first + index) % VARIANTS.length]);
      for (const variant of order) {
        await emptyTables(databaseUrl);
        const perSecond = await workloads[variant](databaseUrl, point.concurrency, settings.seconds);
        point.perRound[variant].push(perSecond);
        progress(
          `round ${round}, concurrency ${point.concurrency}, ${variant}: ${perSecond.toFixed(0)} events/s`,
        );
      }
    }
  }
  return points;
}
