import { backoffDelay, sleep, type BackoffOptions } from './backoff';
import { errorContext, type RuntimeLogger } from './logger';

export interface RetryPolicy {
  readonly backoff: BackoffOptions;
  readonly logger: RuntimeLogger;
  /** What the log lines say happens next, e.g. "retrying the same batch". */
  readonly retrying?: string;
  /** Failures logged at warn before they are logged at error. */
  readonly warnings?: number;
  /** Extra log fields for an error (e.g. the event it concerns). */
  readonly describe?: (error: unknown) => object;
}

/**
 * Runs `action` until it succeeds, waiting with capped exponential backoff between failures, for a step
 * that must not be skipped. Throws the signal's reason once `signal` aborts, or the last error when
 * `giveUp(attempt)` says so. Every failure is logged with `context` and the attempt number.
 */
export async function retryUntilDone<T>(
  /** What the log lines call the retried work, e.g. "relay publish". */
  what: string,
  context: object,
  signal: AbortSignal,
  action: () => Promise<T>,
  policy: RetryPolicy,
  giveUp: (attempt: number) => boolean = () => false,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    if (signal.aborted) throw signal.reason;
    try {
      return await action();
    } catch (error) {
      if (signal.aborted || giveUp(attempt)) throw error;
      const retryInMs = backoffDelay(attempt, policy.backoff);
      const details = {
        attempt: attempt + 1,
        retryInMs,
        ...context,
        ...policy.describe?.(error),
        ...errorContext(error),
      };
      const next = policy.retrying ?? 'retrying';
      if (attempt < (policy.warnings ?? 3)) policy.logger.warn(details, `${what} failed; ${next}`);
      else policy.logger.error(details, `${what} keeps failing; ${next}`);
      await sleep(retryInMs, signal);
    }
  }
}
