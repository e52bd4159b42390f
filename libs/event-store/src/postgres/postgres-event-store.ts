import { createPool } from '@ledger/postgres';
import { DatabaseError, type Pool } from 'pg';
import { resolveLimit } from '../append-rules';
import { IdempotencyKeyConflictError, WrongExpectedVersionError } from '../errors';
import type { CheckpointStore, EventStore } from '../event-store';
import { LOG_START, logPositionOf } from '../log-position';
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
import { appendWith, type AppendRequest } from './append';
import { ThrottledAppendNotifier } from './append-notifier';
import { APPENDED_CHANNEL, listenForAppends } from './listener';
import { EVENT_COLUMNS, parseStoredResult, toRecordedEvent, type EventRow } from './rows';
import { isEventRow, SAFE_READ, type SafeReadRow } from './safe-read';
import { loadCheckpoint, readSnapshot, saveCheckpoint, saveSnapshot } from './snapshots-and-checkpoints';
import { readStreamFromSnapshot } from './stream-from-snapshot';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  /**
   * Connections for appends and reads (default 10); each subscription opens one more to LISTEN, and the
   * wake-up NOTIFY one more (opened at the first append).
   */
  readonly poolSize?: number;
  readonly upcasters?: UpcasterRegistry;
  /** Errors of pooled connections, idle or in use (the pool replaces them); default: a process warning. */
  readonly onPoolError?: (error: Error) => void;
  /**
   * Appends wake tails (the relay) with a NOTIFY sent after they commit, outside their transaction, at
   * most once per this many milliseconds per store (default 5); 0 turns it off (tails then poll).
   */
  readonly appendNotifyIntervalMs?: number;
}

/** The EventStore on Postgres: `pg` for every read and append, schema from the TypeORM migrations. */
export class PostgresEventStore implements EventStore, CheckpointStore {
  private readonly pool: Pool;
  private readonly upcasters: UpcasterRegistry;
  private readonly subscriptions = new Set<WakeSignal>();
  private readonly notifier: ThrottledAppendNotifier | undefined;
  // Its own connection, so a wake-up never queues behind appends waiting for a pooled one.
  private readonly notifyPool: Pool | undefined;
  private closed = false;

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.pool = createPool(
      { connectionString: options.connectionString, max: options.poolSize ?? 10 },
      options.onPoolError ?? ((error) => process.emitWarning(error)),
    );
    this.upcasters = options.upcasters ?? NO_UPCASTERS;
    const notifyInterval = options.appendNotifyIntervalMs ?? DEFAULT_APPEND_NOTIFY_INTERVAL_MS;
    if (notifyInterval > 0) {
      const onError = options.onPoolError ?? ((error: Error) => process.emitWarning(error));
      // Kept open while idle (idleTimeoutMillis 0): reconnecting would delay the first wake-up after a lull.
      const notifyPool = createPool(
        { connectionString: options.connectionString, max: 1, idleTimeoutMillis: 0 },
        onError,
      );
      this.notifyPool = notifyPool;
      this.notifier = new ThrottledAppendNotifier(
        async () => {
          await notifyPool.query(NOTIFY_APPENDED);
        },
        notifyInterval,
        onError,
      );
    }
  }

  async appendToStream(
    streamId: string,
    streamType: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const request: AppendRequest = {
      streamId,
      streamType,
      expectedVersion,
      events,
      idempotency: options.idempotency,
    };
    let result: AppendResult;
    try {
      result = await appendWith(this.pool, request);
    } catch (error) {
      throw await this.translateVersionRace(error, request);
    }
    if (!result.replayed && events.length > 0) this.notifier?.appended();
    return result;
  }

  async findIdempotentResult(key: string, requestHash: string): Promise<AppendResult | undefined> {
    const { rows } = await this.pool.query<{ request_hash: string; result: unknown }>(
      'select request_hash, result from idempotency_keys where key = $1',
      [key],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    if (row.request_hash !== requestHash) throw new IdempotencyKeyConflictError(key);
    return { ...parseStoredResult(row.result, key), replayed: true };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>({
      ...READ_STREAM,
      values: [streamId, options.fromVersion ?? 1, options.toVersion ?? 2 ** 31 - 1, options.asOf ?? null],
    });
    return rows.map((row) => this.upcasters.upcast(toRecordedEvent(row)));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `select ${EVENT_COLUMNS} from events where global_position > $1 order by events.global_position limit $2`,
      [options.after ?? 0, resolveLimit(options.limit)],
    );
    return rows.map((row) => this.upcasters.upcast(toRecordedEvent(row)));
  }

  async readAllSafe(options: ReadAllSafeOptions = {}): Promise<SafeBatch> {
    const after = options.after ?? LOG_START;
    const { rows } = await this.pool.query<SafeReadRow>(SAFE_READ, [
      after.transactionId,
      after.globalPosition,
      resolveLimit(options.limit),
    ]);
    const events = rows.filter(isEventRow).map((row) => this.upcasters.upcast(toRecordedEvent(row)));
    const last = events.at(-1);
    return {
      events,
      position: last === undefined ? after : logPositionOf(last),
      withheld: rows[0]?.withheld === true,
    };
  }

  async subscribeToAll(options: SubscribeOptions): Promise<void> {
    if (this.closed) throw new Error('event store closed');
    const wake = new WakeSignal();
    this.subscriptions.add(wake);
    try {
      // Listen before the first read, so an append committed in between still wakes the loop.
      const listener = await listenForAppends(this.options.connectionString, wake);
      try {
        await runSubscription((after, limit) => this.readAllSafe({ after, limit }), wake, options);
      } finally {
        await listener.close();
      }
    } finally {
      this.subscriptions.delete(wake);
    }
  }

  readSnapshot(streamId: string, snapshotVersion: number): Promise<Snapshot | undefined> {
    return readSnapshot(this.pool, streamId, snapshotVersion);
  }

  async readStreamFromSnapshot(
    streamId: string,
    snapshotVersion: number | undefined,
  ): Promise<StreamFromSnapshot> {
    const { snapshot, events } = await readStreamFromSnapshot(this.pool, streamId, snapshotVersion);
    return { snapshot, events: events.map((event) => this.upcasters.upcast(event)) };
  }

  saveSnapshot(snapshot: Snapshot): Promise<void> {
    return saveSnapshot(this.pool, snapshot);
  }

  loadCheckpoint(name: string): Promise<LogPosition | undefined> {
    return loadCheckpoint(this.pool, name);
  }

  saveCheckpoint(name: string, position: LogPosition): Promise<void> {
    return saveCheckpoint(this.pool, name, position);
  }

  /** Ends the pool; running subscriptions reject, so their owners notice rather than hang. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscriptions.forEach((wake) => wake.fail(new Error('event store closed')));
    await this.notifier?.close();
    await Promise.all([this.pool.end(), this.notifyPool?.end()]);
  }

  /**
   * A unique violation on the stream version means a writer that bypassed the stream lock raced this
   * append (every append through the store takes it): report the version that won.
   */
  private async translateVersionRace(error: unknown, request: AppendRequest): Promise<unknown> {
    if (!(error instanceof DatabaseError) || error.constraint !== 'events_stream_version_unique')
      return error;
    const { rows } = await this.pool.query<{ version: number | null }>(
      'select max(stream_version) as version from events where stream_id = $1',
      [request.streamId],
    );
    return new WrongExpectedVersionError(request.streamId, request.expectedVersion, rows[0]?.version ?? 0);
  }
}

const DEFAULT_APPEND_NOTIFY_INTERVAL_MS = 5;
// Named like the store's other hot statements, so each connection plans it once: the command path reads
// the events after a cached state with it (ADR 0015).
const READ_STREAM = {
  name: 'event-store.read-stream',
  text: `select ${EVENT_COLUMNS} from events
         where stream_id = $1 and stream_version between $2 and $3 and ($4::timestamptz is null or recorded_at <= $4)
         order by stream_version`,
};
const NOTIFY_APPENDED = { name: 'event-store.notify', text: `select pg_notify('${APPENDED_CHANNEL}', '')` };
