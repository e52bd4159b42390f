import type { RecordedEvent } from '@ledger/event-store';
import { applyProjection, type DecodedEvent, type Projection } from '@ledger/projections';
import type { Pool } from 'pg';

/** A stored event as the relay would deliver it to a projector (the Kafka hop itself is not under test). */
export const asDelivered = (event: RecordedEvent): DecodedEvent => ({
  streamId: event.streamId,
  streamVersion: event.streamVersion,
  eventId: event.eventId,
  type: event.type,
  schemaVersion: event.schemaVersion,
  globalPosition: event.globalPosition,
  recordedAt: event.recordedAt.toISOString(),
  correlationId: event.metadata.correlationId,
  causationId: event.metadata.causationId,
  data: event.data,
  topic: 'test',
  partition: 0,
  offset: String(event.globalPosition),
});

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Applies a batch as the projection runtime does: one transaction. */
export async function applyInOneTransaction(
  pool: Pool,
  projection: Projection<DecodedEvent>,
  events: DecodedEvent[],
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await applyProjection(client, projection, events);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}
