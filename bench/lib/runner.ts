import { performance } from 'node:perf_hooks';

/** Runs `measure` `times` times one after another (never overlapping) and returns every result. */
export async function repeat<T>(times: number, measure: (round: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let round = 1; round <= times; round++) results.push(await measure(round));
  return results;
}

export interface Throughput {
  readonly operations: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/**
 * Closed-loop load: `concurrency` workers each call `operation` again as soon as the previous call
 * finished, until `durationMs` has passed. Operations still running at the deadline are awaited and
 * counted, and the elapsed time includes them, so the rate is not inflated. A failing operation fails
 * the run: a benchmark that swallows errors measures the wrong thing.
 */
export async function runFor(
  durationMs: number,
  concurrency: number,
  operation: (worker: number) => Promise<void>,
): Promise<Throughput> {
  const started = performance.now();
  const deadline = started + durationMs;
  let operations = 0;
  const worker = async (index: number) => {
    while (performance.now() < deadline) {
      await operation(index);
      operations++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
  const seconds = (performance.now() - started) / 1000;
  return { operations, seconds, perSecond: operations / seconds };
}

/** The result of one call and its wall time in milliseconds. */
export async function timed<T>(action: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await action();
  return { result, ms: performance.now() - started };
}

/**
 * A full collection when Node runs with --expose-gc (a no-op otherwise), so a short measurement does not
 * pay for the garbage a long one before it left behind.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
