import { loadavg } from 'node:os';
import type { BenchSettings } from './settings';
import { commandAppend, storeAppend, type AppendWorkload } from './append-throughput';
import { emptyTables, setAppendTrigger } from './database';
import { pgbenchInsertsPerSecond } from './pgbench';

/**
 * - pgbench: the raw INSERT baseline.
 * - store / command: appendToStream alone, and the command path, as the store and the service run now
 *   (the service keeps each stream's state: commandUncached is the same path without that cache).
 * - storeTrigger: appendToStream with a NOTIFY trigger in every append instead of the throttled wake-up
 *   (the A/B of the wake-up's cost, with the round trips already gone).
 * - previousStore / previousCommand: the write path before append_to_stream (with its trigger).
 */
export const VARIANTS = [
  'pgbench',
  'store',
  'storeTrigger',
  'previousStore',
  'command',
  'commandUncached',
  'previousCommand',
] as const;
export type Variant = (typeof VARIANTS)[number];

const WITH_TRIGGER: ReadonlySet<Variant> = new Set(['storeTrigger', 'previousStore', 'previousCommand']);

/** Events per second of each variant, one value per round, at one concurrency level. */
export interface ThroughputPoint {
  readonly concurrency: number;
  readonly perRound: Readonly<Record<Variant, readonly number[]>>;
  /** 1-minute load average after each measurement at this level. */
  readonly load: readonly number[];
}

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
    store: storeAppend('current'),
    storeTrigger: storeAppend('no-wake-up'),
    previousStore: storeAppend('previous'),
    command: commandAppend(settings.snapshotEvery, 'current', true),
    commandUncached: commandAppend(settings.snapshotEvery, 'current', false),
    previousCommand: commandAppend(settings.snapshotEvery, 'previous', false),
  };
  const points = settings.concurrency.map((concurrency) => ({
    concurrency,
    perRound: Object.fromEntries(VARIANTS.map((variant) => [variant, [] as number[]])) as Record<
      Variant,
      number[]
    >,
    load: [] as number[],
  }));
  for (let round = 1; round <= settings.rounds; round++) {
    for (const [level, point] of points.entries()) {
      const first = (round - 1 + level) % VARIANTS.length;
      const order = VARIANTS.map((_, index) => VARIANTS[(first + index) % VARIANTS.length]);
      for (const variant of order) {
        await emptyTables(databaseUrl);
        await setAppendTrigger(databaseUrl, WITH_TRIGGER.has(variant));
        const perSecond = await workloads[variant](databaseUrl, point.concurrency, settings.seconds);
        point.perRound[variant].push(perSecond);
        point.load.push(loadavg()[0]);
        progress(
          `round ${round}, concurrency ${point.concurrency}, ${variant}: ${perSecond.toFixed(0)} events/s`,
        );
      }
    }
  }
  await setAppendTrigger(databaseUrl, false);
  return points;
}
