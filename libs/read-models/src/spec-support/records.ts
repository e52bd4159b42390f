import type { EventEncoder } from '@ledger/messaging';
import { eventHeaders } from '@ledger/messaging';
import type { DecodedEvent } from '@ledger/projections';
import type { Message } from 'kafkajs';

/** The record the outbox relay would publish for an event: stream id as key, envelope headers, encoded value. */
export async function relayMessage(event: DecodedEvent, encoder: EventEncoder): Promise<Message> {
  const recordedAt = new Date(event.recordedAt);
  const headers = eventHeaders({
    globalPosition: event.globalPosition,
    transactionId: 0,
    streamId: event.streamId,
    streamType: event.streamId.slice(0, event.streamId.indexOf('-')),
    streamVersion: event.streamVersion,
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: { correlationId: event.correlationId },
    recordedAt,
  });
  return {
    key: event.streamId,
    value: await encoder.encode(event.type, event.schemaVersion, event.data),
    headers,
    timestamp: String(recordedAt.getTime()),
  };
}
