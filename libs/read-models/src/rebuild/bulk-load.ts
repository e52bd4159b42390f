import {
  recordBulkProgress,
  toProjectionRecord,
  type DecodedEvent,
  type DecodeRecord,
  type PositionUpdate,
  type SqlWrite,
} from '@ledger/projections';
import { withTransaction } from '@ledger/postgres';
import type { Admin, Kafka } from 'kafkajs';
import type { Pool } from 'pg';

/** A read model folded in memory by a bulk load (see `AccountsBulkFold`). */
export interface BulkFold {
  /** Rows folded and not yet taken. */
  readonly pendingRows: number;
  /** Folds one partition's events in offset order; throws, as the projection would, on an event it rejects. */
  apply(events: readonly DecodedEvent[]): void;
  /** The rows folded since the last call, as writes of new rows. */
  takeWrites(): SqlWrite[];
  /** The rows written once, at the end (those later events keep changing). */
  summaryWrites(): SqlWrite[];
}

export interface BulkLoadOptions {
  kafka: Kafka;
  admin: Admin;
  pool: Pool;
  decode: DecodeRecord<DecodedEvent>;
  /** The projection's consumer group: its checkpoints, positions and Kafka offsets are set at the end. */
  group: string;
  topics: readonly string[];
  fold: BulkFold;
  /** Records read so far, and the total to the watermarks; called now and then. */
  onProgress?: (read: number, total: number) => void;
  /** Rows per write statement. Default 10,000. */
  rowsPerWrite?: number;
  /** Write statements running at once, each on its own connection. Default 3. */
  writesInFlight?: number;
  /** The load fails when no record arrives for this long (a transaction left open). Default 60 s. */
  stallTimeoutMs?: number;
}

export interface BulkLoadResult {
  /** Records read, up to the watermarks. */
  records: number;
  /** Events applied (records of streams read again at or below their checkpoint are skipped). */
  applied: number;
  streams: number;
}

/** Why a bulk load stopped: the rebuild goes on through the projector, from the beginning. */
export class BulkLoadStopped extends Error {
  override readonly name = 'BulkLoadStopped';
}

interface PartitionTarget {
  topic: string;
  partition: number;
  /** The watermark noted at the start: the load reads up to the offset before it. */
  end: bigint;
  /** Last offset read (records and transaction markers), once anything has been. */
  reached?: bigint;
  globalPosition?: number;
  lastRecordedAt?: string;
  done: boolean;
}

/** Records decoded and folded at a time. */
const SLICE = 1000;

const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * Applies a projection's topics from the beginning up to the watermarks noted at the start, folding them
 * in memory (`fold`) and writing the new rows in large statements while reading goes on. Then, in one
 * transaction, the rows written once, each stream's checkpoint and each partition's position, as the
 * runtime's chunks would have left them; and the group's Kafka offsets at the watermarks. The projector
 * started on `group` afterwards goes on from there: nothing is applied twice or skipped.
 *
 * A record decoding fails for, an event the fold rejects or a failed write stops the load with
 * BulkLoadStopped: the caller must then empty what it wrote and leave everything to the projector.
 */
export async function bulkLoad(options: BulkLoadOptions): Promise<BulkLoadResult> {
  const { kafka, admin, pool, fold, group } = options;
  const targets = new Map<string, PartitionTarget>();
  let total = 0;
  for (const topic of options.topics) {
    for (const { partition, low, high } of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(high) <= BigInt(low)) continue;
      targets.set(keyOf(topic, partition), { topic, partition, end: BigInt(high), done: false });
      total += Number(high) - Number(low);
    }
  }
  const checkpoints = new Map<string, number>();
  const writer = new Writer(pool, options.writesInFlight ?? 3);
  const rowsPerWrite = options.rowsPerWrite ?? 10_000;
  const result: BulkLoadResult = { records: 0, applied: 0, streams: 0 };
  options.onProgress?.(0, total);

  if (targets.size > 0) {
    // The projection's own group: its offsets are committed at the end, as the runtime commits them. Any
    // it holds already would make the load start past the beginning: a group of a new version holds none.
    await admin.deleteGroups([group]).catch(() => undefined);
    const consumer = kafka.consumer({
      groupId: group,
      readUncommitted: false,
      maxBytesPerPartition: 16 << 20,
      maxBytes: 64 << 20,
      // Long polls only delay the end: the watermarks are behind the log end, and leaving waits for the poll.
      maxWaitTimeInMs: 100,
    });
    let failed: unknown;
    let lastRecordAt = performance.now();
    const stallMs = options.stallTimeoutMs ?? 60_000;
    let watch: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        const fail = (error: unknown) => {
          failed ??= error;
          reject(error instanceof Error ? error : new Error(String(error)));
        };
        /** Marks how far a partition was read; resolves once every one is at its watermark. */
        const reach = (target: PartitionTarget, lastOffset: string) => {
          const last = BigInt(lastOffset);
          target.reached = last < target.end - 1n ? last : target.end - 1n;
          if (target.reached < target.end - 1n) return;
          target.done = true;
          consumer.pause([{ topic: target.topic, partitions: [target.partition] }]);
          if ([...targets.values()].every((each) => each.done)) resolve();
        };
        watch = setInterval(() => {
          options.onProgress?.(result.records, total);
          // Writes finishing count as progress: reading waits for them when they fall behind.
          if (performance.now() - Math.max(lastRecordAt, writer.lastDoneAt) > stallMs)
            fail(new BulkLoadStopped(`no record arrived for ${stallMs} ms before the watermarks`));
        }, 1000);
        consumer.on(consumer.events.CRASH, ({ payload }) => fail(payload.error));
        // A fetch of nothing but transaction markers (or aborted records) reaches no eachBatch: kafkajs
        // only reports it, as a batch of no records.
        consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
          const target = targets.get(keyOf(payload.topic, payload.partition));
          if (payload.batchSize !== 0 || !target || target.done || failed !== undefined) return;
          lastRecordAt = performance.now();
          reach(target, payload.lastOffset);
        });
        void (async () => {
          await consumer.connect();
          await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
          await consumer.run({
            autoCommit: false,
            partitionsConsumedConcurrently: Math.min(targets.size, 16),
            eachBatch: async ({ batch, heartbeat }) => {
              const target = targets.get(keyOf(batch.topic, batch.partition));
              if (failed !== undefined || !target || target.done) return;
              try {
                lastRecordAt = performance.now();
                const end = Number(target.end);
                const messages =
                  Number(batch.lastOffset()) < end
                    ? batch.messages
                    : batch.messages.filter((message) => Number(message.offset) < end);
                // In slices: the writes of one start while the next is decoded.
                for (let start = 0; start < messages.length; start += SLICE) {
                  const records = messages
                    .slice(start, start + SLICE)
                    .map((message) => toProjectionRecord(batch.topic, batch.partition, message));
                  const events = await Promise.all(records.map((record) => options.decode(record)));
                  const fresh: DecodedEvent[] = [];
                  for (const event of events) {
                    // As the runtime: a stream's record at or below its checkpoint was applied before.
                    const checkpoint = checkpoints.get(event.streamId);
                    if (checkpoint !== undefined && event.streamVersion <= checkpoint) continue;
                    checkpoints.set(event.streamId, event.streamVersion);
                    fresh.push(event);
                    if (event.globalPosition > (target.globalPosition ?? 0))
                      target.globalPosition = event.globalPosition;
                    target.lastRecordedAt = event.recordedAt;
                  }
                  fold.apply(fresh);
                  result.records += records.length;
                  result.applied += fresh.length;
                  if (fold.pendingRows >= rowsPerWrite)
                    for (const write of fold.takeWrites()) await writer.submit(write);
                  await heartbeat();
                }
                // The batch's last offset counts the relay's transaction markers after its last record.
                reach(target, batch.lastOffset());
              } catch (error) {
                fail(error);
              }
            },
          });
        })().catch(fail);
      });
      for (const write of fold.takeWrites()) await writer.submit(write);
      await writer.settle();
      await commit(pool, group, fold, checkpoints, targets);
      // Kafka after Postgres, as the runtime: the projector reads on from the watermarks.
      await consumer.commitOffsets(
        [...targets.values()].map((target) => ({
          topic: target.topic,
          partition: target.partition,
          offset: String(target.end),
        })),
      );
    } catch (error) {
      await writer.settle().catch(() => undefined);
      throw stopped(error);
    } finally {
      clearInterval(watch);
      await consumer.disconnect().catch(() => undefined);
    }
  } else {
    await commit(pool, group, fold, checkpoints, targets).catch((error: unknown) => {
      throw stopped(error);
    });
  }
  result.streams = checkpoints.size;
  options.onProgress?.(result.records, total);
  return result;
}

/** The rows written once, each stream's checkpoint and each partition's position, in one transaction. */
async function commit(
  pool: Pool,
  group: string,
  fold: BulkFold,
  checkpoints: ReadonlyMap<string, number>,
  targets: ReadonlyMap<string, PartitionTarget>,
): Promise<void> {
  const positions: PositionUpdate[] = [...targets.values()].map((target) => ({
    topic: target.topic,
    partition: target.partition,
    offset: String(target.end - 1n),
    globalPosition: target.globalPosition,
    lastRecordedAt: target.lastRecordedAt,
  }));
  await withTransaction(pool, async (tx) => {
    for (const write of fold.summaryWrites()) await tx.query(write.text, write.values);
    await recordBulkProgress(tx, group, checkpoints, positions);
  });
}

const stopped = (error: unknown) =>
  error instanceof BulkLoadStopped
    ? error
    : new BulkLoadStopped(error instanceof Error ? `${error.name}: ${error.message}` : String(error), {
        cause: error,
      });

/** Runs write statements in the background, at most `limit` at once; the first failure is kept. */
class Writer {
  private readonly running = new Set<Promise<void>>();
  private error: unknown;
  /** When the last write finished (performance.now()), or 0. */
  lastDoneAt = 0;

  constructor(
    private readonly pool: Pool,
    private readonly limit: number,
  ) {}

  /** Starts `write` once fewer than `limit` run; throws the failure of an earlier one. */
  async submit(write: SqlWrite): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running);
    if (this.error !== undefined) throw this.error;
    const running: Promise<void> = this.pool.query(write.text, write.values).then(
      () => {
        this.lastDoneAt = performance.now();
        this.running.delete(running);
      },
      (error: unknown) => {
        this.error ??= error;
        this.running.delete(running);
      },
    );
    this.running.add(running);
  }

  /** Waits for every write; throws the first failure. */
  async settle(): Promise<void> {
    await Promise.all(this.running);
    if (this.error !== undefined) throw this.error;
  }
}
