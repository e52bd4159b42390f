/**
 * Record header names of every event on Kafka: the relay writes them, consumers read them. One
 * definition, so the writer and the readers cannot drift apart.
 */
export const EventHeaders = {
  eventId: 'event-id',
  eventType: 'event-type',
  schemaVersion: 'schema-version',
  streamType: 'stream-type',
  streamVersion: 'stream-version',
  globalPosition: 'global-position',
  correlationId: 'correlation-id',
  causationId: 'causation-id',
  traceparent: 'traceparent',
  recordedAt: 'recorded-at',
  /** Verified subject that caused the event, its role, and for a service the subject it acted for. */
  actor: 'actor',
  actorRole: 'actor-role',
  originActor: 'origin-actor',
  originActorRole: 'origin-actor-role',
} as const;
