import type { PoolClient } from 'pg';
import type { DecodedEvent } from './event';
import type { ProjectionRecord } from './record';

/**
 * A read model fed by Kafka. `name` is also the consumer group id and the prefix of the projection's
 * retry and dead-letter topics, so it must be stable and unique.
 */
export interface Projection<E extends DecodedEvent = DecodedEvent> {
  name: string;
  topics: string[];
  /**
   * Writes the events to the read model inside the runtime's transaction, with set-based SQL.
   * Events arrive in offset order, already filtered of anything applied before; the runtime
   * commits the per-stream checkpoints in the same transaction. Throw `TransientError` (or let a
   * connection-class database error through) to have the whole batch retried later; any other
   * error marks the offending event as poison.
   */
  apply(tx: PoolClient, events: E[]): Promise<void>;
}

/** Turns a record into an event; rejects with a transient error when a dependency (registry) is down. */
export type DecodeRecord<E extends DecodedEvent = DecodedEvent> = (record: ProjectionRecord) => Promise<E>;
