import type { Consistency } from './consistency';

export interface WaitOptions<C extends Consistency> {
  /** One look at the projections; rejections (Kafka or Postgres down) end the wait and propagate. */
  check: () => Promise<C>;
  waitMs: number;
  /** The longest pause between looks. */
  intervalMs: number;
  /** The first pause, doubled after each look up to intervalMs; default 2 ms. */
  firstIntervalMs?: number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface WaitOutcome<C extends Consistency> {
  reached: boolean;
  /** The last consistency seen; absent when the first look itself outlasted the bound. */
  consistency?: C;
  waitedMs: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Looks at the projections until they have reached the position or `waitMs` has passed. A look that
 * hangs (a broker that stopped answering) does not stretch the bound: the answer is "not reached".
 * The pauses between looks start short and double up to `intervalMs`: most waits end within a few
 * milliseconds of the projector's commit, and a long one does not look more often than the interval.
 */
export async function waitForConsistency<C extends Consistency>(
  options: WaitOptions<C>,
): Promise<WaitOutcome<C>> {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const started = clock();
  let pause = Math.min(options.firstIntervalMs ?? 2, options.intervalMs);
  let last: C | undefined;
  for (;;) {
    const remaining = options.waitMs - (clock() - started);
    const consistency = await within(options.check(), Math.max(remaining, options.intervalMs));
    const waitedMs = clock() - started;
    if (consistency === undefined) return { reached: false, consistency: last, waitedMs };
    last = consistency;
    if (consistency.reached || waitedMs >= options.waitMs)
      return { reached: consistency.reached, consistency, waitedMs };
    await sleep(Math.min(pause, options.waitMs - waitedMs));
    pause = Math.min(pause * 2, options.intervalMs);
  }
}

async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
