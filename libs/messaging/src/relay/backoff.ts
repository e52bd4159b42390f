export interface BackoffOptions {
  /** Ceiling of the first retry's delay. */
  readonly initialMs: number;
  /** Ceiling of every delay. */
  readonly maxMs: number;
}

export const DEFAULT_RELAY_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 5_000 };

/**
 * Delay before retry number `attempt` (0-based): exponential and capped, with half of it random ("equal
 * jitter") so that many waiting clients do not hit a recovering broker in step, yet none retries at once.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Resolves after `ms`, or at once when `signal` aborts (it never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
