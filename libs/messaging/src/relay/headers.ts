import { EventHeaders } from '@ledger/contracts';
import type { RecordedEvent } from '@ledger/event-store';
import type { IHeaders } from 'kafkajs';

/** Header names the relay sets on every record (the shared wire contract). */
export const RelayHeaders = EventHeaders;

/**
 * The envelope of `event` as record headers. Correlation id, causation id, traceparent and the actor
 * fields are left out when the event has none, rather than sent empty.
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
  // A plain loop over a constant list: this runs for every event the relay publishes.
  const { metadata } = event;
  for (const field of OPTIONAL_FIELDS) {
    const value = metadata[field];
    if (typeof value === 'string' && value !== '') headers[RelayHeaders[field]] = value;
  }
  return headers;
}

const OPTIONAL_FIELDS = [
  'correlationId',
  'causationId',
  'traceparent',
  'actor',
  'actorRole',
  'originActor',
  'originActorRole',
] as const;
