import type { LaggingPartition } from './consistency';

/**
 * The projections did not reach the requested position within the wait. Answered as 503 with
 * Retry-After rather than 200 with an `X-Stale` flag: the client asked for a precondition, and stale data
 * that looks like a normal answer is exactly the lost-write bug minPosition exists to prevent, so it
 * must not be servable by a client that forgets to look at a header. 503 says "temporary, retry"; 409
 * would blame the request, 504 suggests a gateway, 412 belongs to conditional headers.
 */
export class StaleReadError extends Error {
  constructor(
    readonly minPosition: number,
    /** What the projections are known to reflect; null when even that could not be learned in time. */
    readonly consistentPosition: number | null,
    readonly waitedMs: number,
    readonly lagging: ReadonlyArray<LaggingPartition & { projection: string }>,
    /** False while the outbox relay has not published the event; null when unknown or not checked. */
    readonly relayPublished: boolean | null,
  ) {
    super(
      relayPublished === false
        ? `the event at position ${minPosition} was not published to Kafka within ${waitedMs} ms`
        : `projections have not reached position ${minPosition} within ${waitedMs} ms`,
    );
    this.name = 'StaleReadError';
  }
}

export const STALE_READ_RETRY_AFTER_SECONDS = 1;
