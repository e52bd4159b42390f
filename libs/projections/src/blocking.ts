import { backoffDelay, idle, type BackoffOptions, type RuntimeLogger } from '@ledger/runtime';
import { describeError, isTransientError } from './errors';

export interface BlockingContext {
  signal: AbortSignal;
  /** The consumer heartbeat: sent during the work and while waiting, so the group keeps the member. */
  heartbeat: () => Promise<void>;
  /** Pauses fetching for the partition while it is blocked; returns the resume function. */
  pausePartition?: () => () => void;
  backoff: BackoffOptions;
  logger: RuntimeLogger;
  onFailure: (error: unknown) => void;
  heartbeatEveryMs: number;
}

/**
 * Runs `work` until it succeeds. Failures never skip anything: they pause the partition and retry after an
 * exponential backoff (the projector's default has full jitter). Returns undefined when the projector stops first.
 */
export async function untilSuccess<T>(
  work: () => Promise<T>,
  context: BlockingContext,
  logContext: object,
): Promise<T | undefined> {
  let resume: (() => void) | undefined;
  try {
    for (let retry = 0; !context.signal.aborted; retry++) {
      try {
        return await withHeartbeats(work, context);
      } catch (error) {
        if (context.signal.aborted) return undefined;
        context.onFailure(error);
        const delayMs = backoffDelay(retry, context.backoff);
        const details = { ...logContext, ...describeError(error), retry, delayMs };
        // A failure that is not known to be transient is a defect in the runtime's own statements or the
        // infrastructure; blocking keeps the order and the data, and the error log calls for a person.
        if (isTransientError(error))
          context.logger.warn(details, 'projection blocked by a transient failure, retrying');
        else context.logger.error(details, 'projection blocked by an unexpected failure, retrying');
        resume ??= context.pausePartition?.();
        if (
          !(await idle(delayMs, {
            signal: context.signal,
            tick: context.heartbeat,
            tickEveryMs: context.heartbeatEveryMs,
          }))
        ) {
          return undefined;
        }
      }
    }
    return undefined;
  } finally {
    resume?.();
  }
}

async function withHeartbeats<T>(work: () => Promise<T>, context: BlockingContext): Promise<T> {
  // A failed heartbeat during the work (a rebalance) surfaces at the offset commit that follows.
  const timer = setInterval(() => context.heartbeat().catch(() => undefined), context.heartbeatEveryMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
