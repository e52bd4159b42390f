/** Who and what caused an event; it travels with the event into Kafka headers and logs. */
export interface EventMetadata {
  readonly correlationId?: string;
  readonly causationId?: string;
  /** Verified subject who caused the event (a token's `sub`, or a service identity such as the saga's). */
  readonly actor?: string;
  /** The actor's role: customer, teller, admin, or service. */
  readonly actorRole?: string;
  /** For a service acting on someone's behalf (the saga): the subject who started it, and their role. */
  readonly originActor?: string;
  readonly originActorRole?: string;
  readonly traceparent?: string;
  readonly commandId?: string;
}

/** An event to append. `data` must survive a JSON round trip (it is stored as jsonb). */
export interface NewEvent<TData = unknown> {
  /** A UUID; generated when absent. Pass a deterministic one to make a re-sent event recognisable. */
  readonly eventId?: string;
  /** Versioned wire name, e.g. `ledger.accounts.MoneyDeposited`. */
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: TData;
  readonly metadata?: EventMetadata;
}

/** An event as stored, after upcasting to the current schema version of its type. */
export interface RecordedEvent<TData = unknown> {
  /** Unique and increasing in insert order; NOT the order in which events become visible (see LogPosition). */
  readonly globalPosition: number;
  /** Id of the writing transaction (Postgres xid8); the tail delivers in (transactionId, globalPosition) order. */
  readonly transactionId: number;
  readonly streamId: string;
  readonly streamType: string;
  /** 1 for the first event of a stream, contiguous after that. */
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: TData;
  readonly metadata: EventMetadata;
  readonly recordedAt: Date;
}

/**
 * The stream version the caller based its decision on: a number (0 = empty stream), `no_stream`
 * (same as 0) or `any` (no check).
 */
export type ExpectedVersion = number | 'no_stream' | 'any';

export interface IdempotencyOptions {
  /** Globally unique; callers scope it, e.g. `<command type>:<Idempotency-Key>` or a deterministic command id. */
  readonly key: string;
  /** Hash of the request body; a repeat with another hash is rejected. */
  readonly requestHash: string;
}

export interface AppendOptions {
  readonly idempotency?: IdempotencyOptions;
}

export interface AppendResult {
  /** The stream's version after the append; pass it as the expected version of the next one. */
  readonly nextExpectedVersion: number;
  /** Position of the stream's last event after the append (0 for an empty stream). */
  readonly lastGlobalPosition: number;
  readonly eventIds: readonly string[];
  /** True when an idempotency key matched an earlier append and nothing was written. */
  readonly replayed: boolean;
}

export interface ReadStreamOptions {
  /** Inclusive. */
  readonly fromVersion?: number;
  /** Inclusive. */
  readonly toVersion?: number;
  /** Only events recorded at or before this instant. */
  readonly asOf?: Date;
}

export interface ReadAllOptions {
  /** Exclusive global position; 0 reads from the start. */
  readonly after?: number;
  readonly limit?: number;
}

/**
 * A point in the gap-free log. The log is ordered by (transactionId, globalPosition), not by
 * globalPosition alone: a transaction that started earlier may commit later with lower positions.
 */
export interface LogPosition {
  readonly transactionId: number;
  readonly globalPosition: number;
}

export interface ReadAllSafeOptions {
  /** Exclusive; defaults to the start of the log. */
  readonly after?: LogPosition;
  readonly limit?: number;
}

export interface SafeBatch {
  /** Events whose writing transactions, and every older one, have finished. */
  readonly events: readonly RecordedEvent[];
  /** Where the next read continues: after the last returned event, or `after` when none. */
  readonly position: LogPosition;
  /** Committed events exist beyond the safe horizon, held back until older transactions finish. */
  readonly withheld: boolean;
}

export interface SubscribeOptions {
  /** Exclusive; defaults to the start of the log. */
  readonly from?: LogPosition;
  /** Called with each batch in log order; the next batch waits for the returned promise. */
  readonly onEvents: (events: readonly RecordedEvent[], position: LogPosition) => Promise<void> | void;
  /** Called each time the subscription has delivered everything that is safe to deliver. */
  readonly onCaughtUp?: (position: LogPosition) => void;
  /** Stops the subscription; the returned promise then resolves. */
  readonly signal: AbortSignal;
  readonly batchSize?: number;
  /** Fallback poll when no append notification arrives (default 1000 ms). */
  readonly pollIntervalMs?: number;
}

/** A stream as an aggregate load needs it: its latest snapshot of one version, and the events after it. */
export interface StreamFromSnapshot {
  /** Absent when no snapshot of the requested version exists (or none was requested). */
  readonly snapshot?: Snapshot;
  /** Events after the snapshot's stream version (the whole stream without a snapshot), in version order. */
  readonly events: readonly RecordedEvent[];
}

export interface Snapshot {
  readonly streamId: string;
  /** Shape version of the aggregate state; a loader for another version ignores this snapshot. */
  readonly snapshotVersion: number;
  /** Stream version the state reflects. */
  readonly streamVersion: number;
  readonly state: unknown;
  readonly takenAt?: Date;
}
