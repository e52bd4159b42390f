import type {
  AppendOptions,
  AppendResult,
  ExpectedVersion,
  LogPosition,
  NewEvent,
  ReadAllOptions,
  ReadAllSafeOptions,
  ReadStreamOptions,
  RecordedEvent,
  SafeBatch,
  Snapshot,
  StreamFromSnapshot,
  SubscribeOptions,
} from './types';

/**
 * An append-only store of event streams with optimistic concurrency, idempotent appends, snapshots and
 * a gap-free log of all events. Reads return events upcast to the current schema version of their type.
 */
export interface EventStore {
  /**
   * Appends atomically when the stream is at `expectedVersion`, otherwise throws WrongExpectedVersionError
   * and writes nothing. With an idempotency key, the key and the result commit with the events; a repeat
   * with the same request hash returns the first result (`replayed: true`) and appends nothing.
   */
  appendToStream(
    streamId: string,
    streamType: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult>;

  /**
   * The stored result of an earlier append with this key, so a repeated command is answered without
   * deciding again; undefined for an unknown key; IdempotencyKeyConflictError for another request hash.
   */
  findIdempotentResult(key: string, requestHash: string): Promise<AppendResult | undefined>;

  /** Events of one stream in version order; empty for an unknown stream. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /**
   * Visible events in global position order. May miss events of transactions still in flight: use it to
   * inspect, never to tail (use readAllSafe or subscribeToAll).
   */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /** The next events of the gap-free log: no event can later appear before the returned position. */
  readAllSafe(options?: ReadAllSafeOptions): Promise<SafeBatch>;

  /**
   * Tails the gap-free log from `from`, woken by appends (with a fallback poll). Resolves when `signal`
   * aborts; rejects when reading or `onEvents` fails, so the caller restarts from its checkpoint.
   */
  subscribeToAll(options: SubscribeOptions): Promise<void>;

  /** The latest snapshot of a stream taken with this snapshot version. */
  readSnapshot(streamId: string, snapshotVersion: number): Promise<Snapshot | undefined>;

  /**
   * The latest snapshot of this snapshot version (none when `snapshotVersion` is undefined) and the
   * events after it, read together: one consistent view, in one round trip where the store allows.
   */
  readStreamFromSnapshot(streamId: string, snapshotVersion: number | undefined): Promise<StreamFromSnapshot>;

  /** Stores a snapshot unless a newer one (higher stream version) exists for the same snapshot version. */
  saveSnapshot(snapshot: Snapshot): Promise<void>;

  close(): Promise<void>;
}

/** Named positions in the gap-free log, for tailing consumers such as the outbox relay. */
export interface CheckpointStore {
  loadCheckpoint(name: string): Promise<LogPosition | undefined>;
  /**
   * Moves the checkpoint forward to `position`; a position at or before the saved one changes nothing, so
   * a writer that lost its turn (a deposed relay) can never move a checkpoint back.
   */
  saveCheckpoint(name: string, position: LogPosition): Promise<void>;
}
