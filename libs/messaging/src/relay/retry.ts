import { backoffDelay, sleep, type BackoffOptions } from './backoff';
import { EventEncodingError } from './event-records';
import { errorContext, type RelayLogger } from './logger';

export interface RetryPolicy {
  readonly backoff: BackoffOptions;
  readonly logger: RelayLogger;
}

/**
 * Runs `action` until it succeeds, waiting with capped exponential backoff between failures, for a step
 * that must not be skipped. Throws the signal's reason once `signal` aborts, or the last error when
 * `giveUp(attempt)` says so. Every failure is logged with `context` (the batch) and the attempt number.
 */
export async function retryUntilDone<T>(
  step: string,
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
      const details = { step, attempt: attempt + 1, retryInMs, ...context, ...eventOf(error), ...errorContext(error) };
      if (attempt < 3) policy.logger.warn(details, `relay ${step} failed; retrying the same batch`);
      else policy.logger.error(details, `relay ${step} keeps failing; retrying the same batch`);
      await sleep(retryInMs, signal);
    }
  }
}

function eventOf(error: unknown) {
  if (!(error instanceof EventEncodingError)) return {};
  const { eventId, streamId, streamVersion, globalPosition } = error.event;
  return { eventId, streamId, streamVersion, globalPosition };
}
