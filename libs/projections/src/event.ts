import { EventHeaders } from '@ledger/contracts';
import { safeInteger } from '@ledger/runtime';
import type { ProjectionRecord } from './record';

/** Record header names set by the outbox relay on every event (defined once, in the contracts). */
export { EventHeaders };

/** An event decoded from a record: the envelope (key and headers), the payload and its Kafka coordinates. */
export interface DecodedEvent<T = unknown> {
  /** Stream id, the record key. */
  streamId: string;
  streamVersion: number;
  eventId: string;
  /** Versioned wire name, e.g. `ledger.accounts.MoneyDeposited`. */
  type: string;
  schemaVersion: number;
  globalPosition: number;
  /** ISO-8601 time the event store recorded the event. */
  recordedAt: string;
  correlationId?: string;
  causationId?: string;
  traceparent?: string;
  /** Who caused the event (see EventHeaders.actor): subject, role, and the subject a service acted for. */
  actor?: string;
  actorRole?: string;
  originActor?: string;
  originActorRole?: string;
  data: T;
  topic: string;
  partition: number;
  offset: string;
}

/** A record whose key or headers do not form a valid event envelope; never transient. */
export class InvalidEnvelopeError extends Error {
  override readonly name = 'InvalidEnvelopeError';
}

function required(record: ProjectionRecord, header: string): string {
  const value = record.headers[header];
  if (value === undefined || value === '') throw new InvalidEnvelopeError(`record has no "${header}" header`);
  return value;
}

function headerInteger(record: ProjectionRecord, header: string): number {
  const text = required(record, header);
  const refuse = () => new InvalidEnvelopeError(`header "${header}" is not a non-negative integer: ${text}`);
  if (text.startsWith('-')) throw refuse();
  return safeInteger(text, header, refuse);
}

/** The stream version a record claims in its headers, or undefined when it has none that parses. */
export function headerStreamVersion(record: ProjectionRecord): number | undefined {
  try {
    return headerInteger(record, EventHeaders.streamVersion);
  } catch {
    return undefined;
  }
}

/**
 * Builds the event envelope from the record key and headers around an already decoded payload.
 * A codec implements `decode` as `eventFromRecord(record, await decodePayload(record.value))`.
 */
export function eventFromRecord<T>(record: ProjectionRecord, data: T): DecodedEvent<T> {
  if (record.key === null || record.key === '')
    throw new InvalidEnvelopeError('record has no key (stream id)');
  const recordedAt = required(record, EventHeaders.recordedAt);
  if (Number.isNaN(Date.parse(recordedAt))) {
    throw new InvalidEnvelopeError(`header "${EventHeaders.recordedAt}" is not a time: ${recordedAt}`);
  }
  const optional = (header: string) => record.headers[header] || undefined;
  return {
    streamId: record.key,
    streamVersion: headerInteger(record, EventHeaders.streamVersion),
    eventId: required(record, EventHeaders.eventId),
    type: required(record, EventHeaders.eventType),
    schemaVersion: headerInteger(record, EventHeaders.schemaVersion),
    globalPosition: headerInteger(record, EventHeaders.globalPosition),
    recordedAt,
    correlationId: optional(EventHeaders.correlationId),
    causationId: optional(EventHeaders.causationId),
    traceparent: optional(EventHeaders.traceparent),
    actor: optional(EventHeaders.actor),
    actorRole: optional(EventHeaders.actorRole),
    originActor: optional(EventHeaders.originActor),
    originActorRole: optional(EventHeaders.originActorRole),
    data,
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
  };
}

/** Decodes a record whose value is JSON: for tests, tooling and topics that do not carry Avro. */
export async function decodeJsonRecord(record: ProjectionRecord): Promise<DecodedEvent> {
  if (record.value === null) throw new InvalidEnvelopeError('record has no value');
  return eventFromRecord(record, JSON.parse(record.value.toString('utf8')) as unknown);
}
