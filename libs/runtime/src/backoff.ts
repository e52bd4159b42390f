/**
 * How far apart retries are: the n-th retry's ceiling is min(maxMs, initialMs * 2^n), and the jitter says
 * how much of it is random. `full` draws from [0, ceiling): waiting consumers spread out most (AWS's
 * "full jitter"), some retry almost at once. `equal` keeps half and draws the other half: nobody retries
 * at once, for clients of a broker that is recovering. Each caller names the one it wants.
 */
export interface BackoffOptions {
  /** Ceiling of the first retry's delay. */
  readonly initialMs: number;
  /** Ceiling of every delay. */
  readonly maxMs: number;
  readonly jitter: 'full' | 'equal';
}

/** Delay before retry number `retry` (0-based). */
export function backoffDelay(
  retry: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(retry, 30));
  return options.jitter === 'full'
    ? Math.floor(random() * ceiling)
    : Math.round(ceiling / 2 + random() * (ceiling / 2));
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

/**
 * Waits `ms`, calling `tick` (a consumer heartbeat) at least every `tickEveryMs` so the group keeps the member.
 * Resolves false as soon as `signal` aborts.
 */
export async function idle(
  ms: number,
  {
    signal,
    tick,
    tickEveryMs = 1000,
  }: { signal: AbortSignal; tick?: () => Promise<void>; tickEveryMs?: number },
): Promise<boolean> {
  const until = Date.now() + ms;
  while (!signal.aborted) {
    const left = until - Date.now();
    if (left <= 0) return true;
    await sleep(Math.min(left, tickEveryMs), signal);
    if (tick && !signal.aborted) await tick();
  }
  return false;
}
