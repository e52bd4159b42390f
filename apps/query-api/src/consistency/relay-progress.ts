import type { Pool } from 'pg';

/** Whether the event at a global position has been published to Kafka by the outbox relay. */
export type PublishedLookup = (globalPosition: number) => Promise<boolean>;

/**
 * Kafka's log-end offsets only show what has been published. An event the client just wrote may still
 * sit in the store, and every partition would then look fully read. The relay's checkpoint is a log
 * position (transaction id, global position) and it publishes in that order, so the event is on Kafka
 * once the checkpoint is at or past the event's own log position. Once true it stays true.
 */
export function relayPublished(pool: Pool, checkpointName: string): PublishedLookup {
  const known = new Set<number>();
  let highestKnown = 0;
  return async (globalPosition) => {
    if (globalPosition <= highestKnown && known.has(globalPosition)) return true;
    const { rows } = await pool.query<{ published: boolean }>(
      `select (c.transaction_id, c.global_position) >= (e.transaction_id, e.global_position) as published
         from events e join checkpoints c on c.name = $2
        where e.global_position = $1`,
      [globalPosition, checkpointName],
    );
    const published = rows[0]?.published === true;
    if (published) {
      known.add(globalPosition);
      highestKnown = Math.max(highestKnown, globalPosition);
      if (known.size > 10_000) known.clear();
    }
    return published;
  };
}
