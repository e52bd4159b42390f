import { checkExpectedVersion, resolveLimit, validateAppend } from '../append-rules';
import { DuplicateEventIdError, IdempotencyKeyConflictError, StreamTypeMismatchError } from '../errors';
import { newEventId } from '../event-ids';
import type { CheckpointStore, EventStore } from '../event-store';
import { compareLogPositions, LOG_START, logPositionOf } from '../log-position';
import { runSubscription } from '../subscription';
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
} from '../types';
import { NO_UPCASTERS, type UpcasterRegistry } from '../upcasters';
import { WakeSignal } from '../wake-signal';

export interface InMemoryEventStoreOptions {
  readonly upcasters?: UpcasterRegistry;
  /** Source of `recordedAt`; defaults to the system clock. */
  readonly clock?: () => Date;
}

type StoredResult = Omit<AppendResult, 'replayed'>;

// Values go through JSON like jsonb does, so a test cannot pass here and fail on Postgres because it
// mutated a stored object or relied on undefined fields or class instances surviving.
const jsonCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * The EventStore contract in memory, for unit tests. Each append is one "transaction" that commits
 * atomically, so the log order is simply the append order.
 */
export class InMemoryEventStore implements EventStore, CheckpointStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly eventIds = new Set<string>();
  private readonly idempotency = new Map<string, { requestHash: string; result: StoredResult }>();
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly checkpoints = new Map<string, LogPosition>();
  private readonly subscribers = new Set<WakeSignal>();
  private readonly upcasters: UpcasterRegistry;
  private readonly clock: () => Date;
  private transactions = 0;

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.upcasters = options.upcasters ?? NO_UPCASTERS;
    this.clock = options.clock ?? (() => new Date());
  }

  async appendToStream(
    streamId: string,
    streamType: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    validateAppend(streamId, streamType, expectedVersion, events);
    // No await from here on: the check, the append and the key must not interleave with another append.
    const { idempotency } = options;
    const replay = idempotency && this.replayOf(idempotency.key, idempotency.requestHash);
    if (replay) return replay;
    const stream = this.streams.get(streamId) ?? [];
    const last = stream.at(-1);
    if (last !== undefined && last.streamType !== streamType) {
      throw new StreamTypeMismatchError(streamId, last.streamType, streamType);
    }
    checkExpectedVersion(streamId, expectedVersion, stream.length);
    const recorded = this.record(streamId, streamType, stream.length, events);
    if (new Set(recorded.map((event) => event.eventId)).size < recorded.length) {
      throw new DuplicateEventIdError(streamId);
    }
    if (recorded.some((event) => this.eventIds.has(event.eventId))) throw new DuplicateEventIdError(streamId);

    // Everything below commits together: nothing above has changed any state yet.
    if (recorded.length > 0) this.transactions += 1;
    this.streams.set(streamId, [...stream, ...recorded]);
    for (const event of recorded) {
      this.log.push(event);
      this.eventIds.add(event.eventId);
    }
    const result: StoredResult = {
      nextExpectedVersion: stream.length + recorded.length,
      lastGlobalPosition: (recorded.at(-1) ?? last)?.globalPosition ?? 0,
      eventIds: recorded.map((event) => event.eventId),
    };
    if (idempotency !== undefined) {
      this.idempotency.set(idempotency.key, { requestHash: idempotency.requestHash, result });
    }
    if (recorded.length > 0) this.subscribers.forEach((wake) => wake.notify());
    return { ...result, replayed: false };
  }

  async findIdempotentResult(key: string, requestHash: string): Promise<AppendResult | undefined> {
    return this.replayOf(key, requestHash);
  }

  private replayOf(key: string, requestHash: string): AppendResult | undefined {
    const stored = this.idempotency.get(key);
    if (stored === undefined) return undefined;
    if (stored.requestHash !== requestHash) throw new IdempotencyKeyConflictError(key);
    return { ...stored.result, replayed: true };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const { fromVersion = 1, toVersion = Number.MAX_SAFE_INTEGER, asOf } = options;
    return (this.streams.get(streamId) ?? [])
      .filter((event) => event.streamVersion >= fromVersion && event.streamVersion <= toVersion)
      .filter((event) => asOf === undefined || event.recordedAt.getTime() <= asOf.getTime())
      .map((event) => this.output(event));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? 0;
    return this.log
      .filter((event) => event.globalPosition > after)
      .slice(0, resolveLimit(options.limit))
      .map((event) => this.output(event));
  }

  async readAllSafe(options: ReadAllSafeOptions = {}): Promise<SafeBatch> {
    const after = options.after ?? LOG_START;
    const events = this.log
      .filter((event) => compareLogPositions(event, after) > 0)
      .slice(0, resolveLimit(options.limit))
      .map((event) => this.output(event));
    const last = events.at(-1);
    return { events, position: last === undefined ? after : logPositionOf(last), withheld: false };
  }

  async subscribeToAll(options: SubscribeOptions): Promise<void> {
    const wake = new WakeSignal();
    this.subscribers.add(wake);
    try {
      await runSubscription((after, limit) => this.readAllSafe({ after, limit }), wake, options);
    } finally {
      this.subscribers.delete(wake);
    }
  }

  async readSnapshot(streamId: string, snapshotVersion: number): Promise<Snapshot | undefined> {
    const snapshot = this.snapshots.get(snapshotKey(streamId, snapshotVersion));
    return snapshot === undefined ? undefined : { ...snapshot, state: jsonCopy(snapshot.state) };
  }

  async readStreamFromSnapshot(
    streamId: string,
    snapshotVersion: number | undefined,
  ): Promise<StreamFromSnapshot> {
    const snapshot =
      snapshotVersion === undefined ? undefined : await this.readSnapshot(streamId, snapshotVersion);
    const events = await this.readStream(streamId, { fromVersion: (snapshot?.streamVersion ?? 0) + 1 });
    return { snapshot, events };
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    const key = snapshotKey(snapshot.streamId, snapshot.snapshotVersion);
    const current = this.snapshots.get(key);
    if (current !== undefined && current.streamVersion >= snapshot.streamVersion) return;
    this.snapshots.set(key, { ...snapshot, state: jsonCopy(snapshot.state), takenAt: this.clock() });
  }

  async loadCheckpoint(name: string): Promise<LogPosition | undefined> {
    const position = this.checkpoints.get(name);
    return position === undefined ? undefined : { ...position };
  }

  async saveCheckpoint(name: string, position: LogPosition): Promise<void> {
    const saved = this.checkpoints.get(name);
    if (saved === undefined || compareLogPositions(saved, position) < 0)
      this.checkpoints.set(name, { ...position });
  }

  /** Running subscriptions reject, as they do when a Postgres store closes. */
  async close(): Promise<void> {
    this.subscribers.forEach((wake) => wake.fail(new Error('event store closed')));
  }

  private record(
    streamId: string,
    streamType: string,
    version: number,
    events: readonly NewEvent[],
  ): RecordedEvent[] {
    const recordedAt = this.clock();
    return events.map((event, index) => ({
      globalPosition: this.log.length + index + 1,
      transactionId: this.transactions + 1,
      streamId,
      streamType,
      streamVersion: version + index + 1,
      eventId: event.eventId ?? newEventId(),
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: jsonCopy(event.data),
      metadata: jsonCopy(event.metadata ?? {}),
      recordedAt,
    }));
  }

  private output(event: RecordedEvent): RecordedEvent {
    return this.upcasters.upcast({
      ...event,
      data: jsonCopy(event.data),
      metadata: { ...event.metadata },
      recordedAt: new Date(event.recordedAt),
    });
  }
}

const snapshotKey = (streamId: string, snapshotVersion: number) => `${snapshotVersion}\u0000${streamId}`;
