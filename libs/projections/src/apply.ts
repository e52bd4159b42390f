import type { PoolClient } from 'pg';
import type { DecodedEvent } from './event';
import { isTransientError } from './errors';
import type { BatchHandler, ProjectionWrites } from './projection';
import { runWrites } from './store/combined-writes';
import { inSavepoint } from './store/transaction';

/**
 * Thrown by an optimistic apply (no savepoint) whose batch failed with a non-transient error: the caller
 * rolls the transaction back and runs the chunk again isolating, event by event.
 */
export class IsolationNeeded extends Error {
  override readonly name = 'IsolationNeeded';
  constructor(cause: unknown) {
    super('the batch failed as a whole: apply it again event by event', { cause });
  }
}

export interface ApplyResult<E extends DecodedEvent> {
  applied: E[];
  /** Per stream, the event that kept failing; the stream's later events were not applied. */
  failures: Map<string, { event: E; error: unknown; attempts: number }>;
  /**
   * Optimistic mode only: the batch's writes, not yet run. The caller runs them with its own final
   * statement and treats their failure as the batch's (IsolationNeeded unless transient).
   */
  deferred: ProjectionWrites;
}

/**
 * Applies events as one batch; when the batch fails with a non-transient error, applies them one by one
 * (each up to `attemptsPerEvent` times) to isolate the poison events. A stream stops at its first poison
 * event so its order is kept; other streams go on. Transient errors propagate: the caller retries the whole
 * transaction.
 *
 * `mode` `optimistic` applies the batch, even of one event, without a savepoint (two round trips fewer,
 * and no subtransaction), leaves its writes to the caller (`deferred`) and throws IsolationNeeded when it
 * fails, for the caller to start over isolating; `isolating` goes event by event at once; `savepoint`
 * tries the batch in a savepoint first. Outside optimistic mode the writes run inside the savepoint.
 */
export async function applyIsolating<E extends DecodedEvent>(
  tx: PoolClient,
  handler: BatchHandler<E>,
  events: readonly E[],
  attemptsPerEvent: number,
  mode: 'savepoint' | 'optimistic' | 'isolating' = 'savepoint',
): Promise<ApplyResult<E>> {
  const result: ApplyResult<E> = { applied: [], failures: new Map(), deferred: [] };
  if (events.length === 0) return result;
  if (mode === 'optimistic') {
    try {
      result.deferred = await handler(tx, [...events]);
    } catch (error) {
      throw optimisticFailure(error);
    }
    result.applied.push(...events);
    return result;
  }
  const apply = async (batch: E[]) => runWrites(tx, await handler(tx, batch));
  if (events.length > 1 && mode === 'savepoint') {
    try {
      await inSavepoint(tx, () => apply([...events]));
      result.applied.push(...events);
      return result;
    } catch (error) {
      if (isTransientError(error)) throw error;
    }
  }
  for (const event of events) {
    if (result.failures.has(event.streamId)) continue;
    for (let attempt = 1; ; attempt++) {
      try {
        await inSavepoint(tx, () => apply([event]));
        result.applied.push(event);
        break;
      } catch (error) {
        if (isTransientError(error)) throw error;
        if (attempt >= attemptsPerEvent) {
          result.failures.set(event.streamId, { event, error, attempts: attempt });
          break;
        }
      }
    }
  }
  return result;
}

/** What an optimistic batch's failure means: retry the transaction when transient, else isolate the poison. */
export function optimisticFailure(error: unknown): unknown {
  return isTransientError(error) ? error : new IsolationNeeded(error);
}
