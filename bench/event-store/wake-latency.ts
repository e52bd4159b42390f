import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PostgresEventStore } from '@ledger/event-store';
import { percentile, runFor } from '../lib';
import { emptyTables, setAppendTrigger } from './database';
import { depositEvent } from './fixtures';

/**
 * How a tail (the relay) learns of appends:
 * - trigger: a NOTIFY trigger in every append transaction (the store before), fallback poll 1 s;
 * - throttled: the writer's NOTIFY after commit, at most one per 5 ms per process (the store now);
 * - poll: no NOTIFY at all, the tail reads every 10 ms (the lower bound of an adaptive poll; idle, an
 *   adaptive poll backs off and its first event then waits up to the longest interval).
 */
export const WAKE_MODES = ['trigger', 'throttled', 'poll'] as const;
export type WakeMode = (typeof WAKE_MODES)[number];

export interface WakeSample {
  /** Appends per second the writers achieved. */
  readonly perSecond: number;
  /** Append acknowledged to the writer → delivered to the tail, milliseconds. */
  readonly p50: number;
  readonly p99: number;
  /** Reads the tail made per second (its cost to Postgres while the load ran). */
  readonly readsPerSecond: number;
  readonly load1: number;
}

export interface WakeLoad {
  readonly name: string;
  /** Closed-loop writers, or undefined for a paced load of `rate` appends per second. */
  readonly concurrency?: number;
  readonly rate?: number;
}

/** One measurement: a tail in its own store, writers in another, as the relay and the command service. */
export async function measureWake(
  databaseUrl: string,
  mode: WakeMode,
  load: WakeLoad,
  seconds: number,
): Promise<WakeSample> {
  await emptyTables(databaseUrl);
  await setAppendTrigger(databaseUrl, mode === 'trigger');
  const writers = load.concurrency ?? 8;
  const writer = new PostgresEventStore({
    connectionString: databaseUrl,
    poolSize: writers,
    appendNotifyIntervalMs: mode === 'throttled' ? undefined : 0,
  });
  const tail = new PostgresEventStore({ connectionString: databaseUrl, poolSize: 1 });
  const acknowledged = new Map<string, number>();
  // The tail can receive an event before the writer's await resumes: it then counts as latency 0.
  const early = new Map<string, number>();
  const latencies: number[] = [];
  let reads = 0;
  const controller = new AbortController();
  let caughtUp: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (caughtUp = resolve));
  const running = tail.subscribeToAll({
    signal: controller.signal,
    pollIntervalMs: mode === 'poll' ? 10 : 1000,
    onEvents: (events) => {
      const now = performance.now();
      for (const event of events) {
        const at = acknowledged.get(event.eventId);
        if (at === undefined) early.set(event.eventId, now);
        else latencies.push(now - at);
      }
    },
    onCaughtUp: () => {
      reads += 1;
      caughtUp();
    },
  });
  try {
    await ready;
    const streams = Array.from({ length: writers }, () => ({ accountId: randomUUID(), version: 0 }));
    const append = async (worker: number) => {
      const stream = streams[worker];
      const event = { ...depositEvent(stream.accountId), eventId: randomUUID() };
      const result = await writer.appendToStream(`account-${stream.accountId}`, 'account', stream.version, [
        event,
      ]);
      const now = performance.now();
      acknowledged.set(event.eventId, now);
      const delivered = early.get(event.eventId);
      if (delivered !== undefined) latencies.push(Math.max(0, delivered - now));
      stream.version = result.nextExpectedVersion;
    };
    const readsBefore = reads;
    const started = performance.now();
    const perSecond =
      load.concurrency !== undefined
        ? (await runFor(seconds * 1000, load.concurrency, append)).perSecond
        : await paced(load.rate ?? 50, seconds, writers, append);
    const readsPerSecond = (reads - readsBefore) / ((performance.now() - started) / 1000);
    // Let the tail deliver what the last appends wrote.
    const deadline = performance.now() + 10_000;
    while (latencies.length < acknowledged.size && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (latencies.length < acknowledged.size) {
      throw new Error(`${mode}: the tail delivered ${latencies.length} of ${acknowledged.size} appends`);
    }
    return {
      perSecond,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      readsPerSecond,
      load1: loadavg()[0],
    };
  } finally {
    controller.abort();
    await running;
    await Promise.all([tail.close(), writer.close()]);
    await setAppendTrigger(databaseUrl, false);
  }
}

/** `rate` appends per second for `seconds`, spread over `writers` streams in turn; returns the rate achieved. */
async function paced(
  rate: number,
  seconds: number,
  writers: number,
  append: (worker: number) => Promise<void>,
): Promise<number> {
  const total = Math.round(rate * seconds);
  const started = performance.now();
  // A stream appends one event at a time: its next append needs the version the previous one returned.
  const last: Promise<void>[] = Array.from({ length: writers }, () => Promise.resolve());
  for (let index = 0; index < total; index++) {
    const wait = started + (index * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const worker = index % writers;
    await last[worker];
    last[worker] = append(worker);
  }
  await Promise.all(last);
  return total / ((performance.now() - started) / 1000);
}

export const WAKE_LOADS: readonly WakeLoad[] = [
  { name: 'paced, 50 appends/s', rate: 50 },
  // Below what every mode sustains on a busy 2-core machine, so latency is compared at equal load.
  { name: 'paced, 250 appends/s', rate: 250 },
  { name: 'closed loop, 32 writers', concurrency: 32 },
];

export interface WakePoint {
  readonly load: WakeLoad;
  readonly perRound: Readonly<Record<WakeMode, readonly WakeSample[]>>;
}

/** Every mode under every load in every round, the modes taking turns going first. */
export async function measureWakeRounds(
  databaseUrl: string,
  rounds: number,
  seconds: number,
  progress: (line: string) => void,
): Promise<WakePoint[]> {
  const points = WAKE_LOADS.map((load) => ({
    load,
    perRound: { trigger: [] as WakeSample[], throttled: [] as WakeSample[], poll: [] as WakeSample[] },
  }));
  for (let round = 1; round <= rounds; round++) {
    for (const [level, point] of points.entries()) {
      const first = (round - 1 + level) % WAKE_MODES.length;
      for (let index = 0; index < WAKE_MODES.length; index++) {
        const mode = WAKE_MODES[(first + index) % WAKE_MODES.length];
        const sample = await measureWake(databaseUrl, mode, point.load, seconds);
        point.perRound[mode].push(sample);
        progress(
          `wake round ${round}, ${point.load.name}, ${mode}: ${sample.perSecond.toFixed(0)} appends/s, ` +
            `p50 ${sample.p50.toFixed(1)} ms, p99 ${sample.p99.toFixed(1)} ms, ${sample.readsPerSecond.toFixed(0)} reads/s`,
        );
      }
    }
  }
  return points;
}
