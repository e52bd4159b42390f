import { EventHeaders } from '@ledger/contracts';
import type { RecordedEvent } from '@ledger/event-store';
import type { IHeaders } from 'kafkajs';

/** Header names the relay sets on every record (the shared wire contract). */
export const RelayHeaders = EventHeaders;

/**
 * The envelope of `event` as record headers. Correlation id, causation id and traceparent are left out
 * when the event has none, rather than sent empty.
 */
export function eventHeaders(event: RecordedEvent): IHeaders {
  const headers: IHeaders = {
    [RelayHeaders.eventId]: event.eventId,
    [RelayHeaders.eventType]: event.type,
    [RelayHeaders.schemaVersion]: String(event.schemaVersion),
    [RelayHeaders.streamType]: event.streamType,
    [RelayHeaders.streamVersion]: String(event.streamVersion),
    [RelayHeaders.globalPosition]: String(event.globalPosition),
    [RelayHeaders.recordedAt]: event.recordedAt.toISOString(),
  };
  const { correlationId, causationId, traceparent } = event.metadata;
  if (correlationId) headers[RelayHeaders.correlationId] = correlationId;
  if (causationId) headers[RelayHeaders.causationId] = causationId;
  if (traceparent) headers[RelayHeaders.traceparent] = traceparent;
  return headers;
}
