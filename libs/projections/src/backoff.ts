/** Exponential backoff: the n-th retry waits a random time up to min(maxMs, initialMs * 2^n) ("full jitter"). */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 100, maxMs: 30_000 };

export function backoffDelay(
  retry: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(retry, 30));
  return Math.floor(random() * ceiling);
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

function sleep(ms: number, signal: AbortSignal): Promise<void> {
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
