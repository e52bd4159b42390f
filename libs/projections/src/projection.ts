import type { PoolClient } from 'pg';
import type { DecodedEvent } from './event';
import type { ProjectionRecord } from './record';
import { runWrites, type SqlWrite } from './store/combined-writes';

/**
 * The writes a projection's batch ends with, which the runtime runs as one statement with the checkpoints
 * it advances (see runWrites); `undefined` entries are skipped.
 */
export type ProjectionWrites = readonly (SqlWrite | undefined)[];

/**
 * A read model fed by Kafka. `name` is also the consumer group id and the prefix of the projection's
 * retry and dead-letter topics, so it must be stable and unique.
 */
export interface Projection<E extends DecodedEvent = DecodedEvent> {
  name: string;
  topics: string[];
  /**
   * The event types (`event-type` header) this consumer acts on. Records of any other type are skipped
   * before they are decoded, neither applied nor parked; absent, every record is decoded and handed over.
   */
  eventTypes?: ReadonlySet<string>;
  /**
   * Writes the events to the read model inside the runtime's transaction, with set-based SQL.
   * Events arrive in offset order, already filtered of anything applied before; the runtime
   * commits the per-stream checkpoints in the same transaction. Throw `TransientError` (or let a
   * connection-class database error through) to have the whole batch retried later; any other
   * error marks the offending event as poison.
   *
   * It may read and lock through `tx`, and return its final writes instead of running them: the runtime
   * then runs them in the statement that advances the checkpoints, a round trip fewer per batch. A failure
   * of a returned write counts as the batch's, exactly as if apply had run it.
   */
  apply(tx: PoolClient, events: E[]): Promise<ProjectionWrites | void>;
}

/**
 * A process fed by Kafka whose effects live elsewhere (commands to the event store): it is handed no
 * transaction, so it makes its own effects idempotent (deterministic command ids). The runtime still keeps
 * its per-stream checkpoints and parks its failures as for a projection; the checkpoints only spare repeats.
 */
export interface Reactor<E extends DecodedEvent = DecodedEvent> {
  name: string;
  topics: string[];
  /**
   * The event types (`event-type` header) this consumer acts on. Records of any other type are skipped
   * before they are decoded, neither applied nor parked; absent, every record is decoded and handed over.
   */
  eventTypes?: ReadonlySet<string>;
  react(events: E[]): Promise<void>;
}

/** What the consumer runtime runs: a projection (writes in the runtime's transaction) or a reactor. */
export type EventConsumer<E extends DecodedEvent = DecodedEvent> = Projection<E> | Reactor<E>;

/** How the runtime hands a batch to a consumer: its writes still to run; a reactor's take no part in the transaction. */
export type BatchHandler<E extends DecodedEvent> = (tx: PoolClient, events: E[]) => Promise<ProjectionWrites>;

export function batchHandlerOf<E extends DecodedEvent>(consumer: EventConsumer<E>): BatchHandler<E> {
  if ('apply' in consumer) return async (tx, events) => (await consumer.apply(tx, events)) ?? [];
  return async (_tx, events) => {
    await consumer.react(events);
    return [];
  };
}

/** Turns a record into an event; rejects with a transient error when a dependency (registry) is down. */
export type DecodeRecord<E extends DecodedEvent = DecodedEvent> = (record: ProjectionRecord) => Promise<E>;

/**
 * A projection's whole effect on a batch in `tx`, outside the runtime: apply, then the writes it returned
 * (the runtime joins those to its checkpoint statement instead). For tools and tests.
 */
export async function applyProjection<E extends DecodedEvent>(
  tx: PoolClient,
  projection: Projection<E>,
  events: E[],
): Promise<void> {
  await runWrites(tx, (await projection.apply(tx, events)) ?? []);
}
