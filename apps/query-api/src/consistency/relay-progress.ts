import { assertCheckpointTablesReadable, checkpointCovers, highestGlobalPosition } from '@ledger/event-store';
import type { Pool } from 'pg';

/** Whether the outbox relay has published the event at a global position to Kafka. */
export type PublishedLookup = (globalPosition: number) => Promise<boolean>;

const REMEMBERED = 10_000;

/**
 * Kafka's log-end offsets only show what has been published. An event the client just wrote may still
 * sit in the store, and every partition would then look fully read. The relay publishes in log order
 * (transaction id, then global position) and checkpoints what Kafka acknowledged, so the event is on
 * Kafka once the checkpoint is at or past the event's own log position. Global positions alone are not
 * enough: a lower position in a later-committing transaction is published after a higher one.
 * A position without an event (0, or one not yet written) is not published.
 */
export function relayPublished(pool: Pool, checkpointName: string): PublishedLookup {
  // Once published, always published: remember answers that came back true (a bounded set).
  const published = new Set<number>();
  return async (globalPosition) => {
    if (published.has(globalPosition)) return true;
    if (!(await checkpointCovers(pool, checkpointName, globalPosition))) return false;
    if (published.size >= REMEMBERED) published.clear();
    published.add(globalPosition);
    return true;
  };
}

/** The highest global position the store has handed out (0 when empty). */
export type HeadLookup = () => Promise<number>;

export function storeHead(pool: Pool): HeadLookup {
  return () => highestGlobalPosition(pool);
}

/** Readiness of the event-store side: the tables the relay check reads must exist and answer. */
export const eventStoreCheck = (pool: Pool) => ({
  name: 'event-store',
  check: () => assertCheckpointTablesReadable(pool),
});
