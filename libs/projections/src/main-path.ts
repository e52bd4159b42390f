import { batchHandlerOf } from './projection';
import type { DecodedEvent } from './event';
import { describeError, type ErrorDescription } from './errors';
import { applyIsolating } from './apply';
import { planRecords, settle } from './plan';
import { firstStage, type Stage } from './policy';
import type { ProjectionRecord } from './record';
import { decodeCandidates, type Runtime } from './runtime';
import { advanceCheckpoints, readCheckpoints, recordPosition } from './store/checkpoints';
import { mirrorDeadLetters } from './store/dead-letters';
import { lockParkedStreams, parkRecords, recordCoordinates, setHead } from './store/parking';
import { inTransaction } from './store/transaction';
import { inSpan } from '@ledger/observability';
import { chunkSpanOptions } from './tracing';

export interface ChunkOutcome<E extends DecodedEvent> {
  applied: E[];
  skipped: number;
  parked: number;
  /** Streams parked by this chunk: their first failed record, now the head of their queue. */
  newlyParked: ParkedHead[];
  stage: Stage;
}

export interface ParkedHead extends ErrorDescription {
  streamId: string;
  topic: string;
  partition: number;
  offset: string;
  eventId?: string;
}

/**
 * Processes records of one topic-partition (in offset order) in one transaction: skips what the checkpoints
 * say is applied, applies the rest, parks the records of parked streams and of streams whose event failed,
 * advances checkpoints and the partition position. Nothing is sent to Kafka here.
 */
export async function processChunk<E extends DecodedEvent>(
  runtime: Runtime<E>,
  records: readonly ProjectionRecord[],
  /**
   * The last offset the chunk covers, when beyond its last record: the relay's transaction markers (and
   * records of aborted transactions) follow it, and count as read, or the partition would never look
   * caught up (its end offset is past the marker).
   */
  endOffset?: string,
): Promise<ChunkOutcome<E>> {
  return inSpan(
    `${runtime.projection.name} process`,
    chunkSpanOptions(runtime.projection.name, records),
    async (span) => {
      const outcome = await applyChunk(runtime, records, endOffset);
      span.setAttributes({
        'ledger.events.applied': outcome.applied.length,
        'ledger.events.skipped': outcome.skipped,
        'ledger.events.parked': outcome.parked,
      });
      return outcome;
    },
  );
}

async function applyChunk<E extends DecodedEvent>(
  runtime: Runtime<E>,
  records: readonly ProjectionRecord[],
  endOffset: string | undefined,
): Promise<ChunkOutcome<E>> {
  const { pool, projection, policy } = runtime;
  const candidates = await decodeCandidates(runtime.decode, records);
  const streamIds = [...new Set(candidates.map((candidate) => candidate.streamId))];
  const last = records[records.length - 1]!;

  return inTransaction(pool, async (tx) => {
    const parkedStreams = await lockParkedStreams(tx, projection.name, streamIds);
    const checkpoints = await readCheckpoints(tx, projection.name, streamIds);
    const plan = planRecords(candidates, checkpoints, parkedStreams);
    const { applied, failures } = await applyIsolating(
      tx,
      batchHandlerOf(projection),
      plan.toApply,
      policy.attemptsPerEvent,
    );
    await advanceCheckpoints(tx, projection.name, checkpoints, applied);

    const { parked, heads } = settle(candidates, plan, applied, failures);
    const seqs = await parkRecords(tx, projection.name, parked);
    const stage = firstStage(policy, new Date());
    const newlyParked: ParkedHead[] = [];
    for (const [streamId, head] of heads) {
      const { record, event } = head.candidate;
      const headSeq = seqs.get(recordCoordinates(record))!;
      const error = describeError(head.error);
      await setHead(tx, projection.name, {
        streamId,
        headSeq,
        stage,
        attempts: head.attempts,
        error,
        sameHead: false,
      });
      const { topic, partition, offset } = record;
      newlyParked.push({ streamId, topic, partition, offset, eventId: event?.eventId, ...error });
    }
    if (stage.stage === 'dead-letter') await mirrorDeadLetters(tx, projection.name, [...heads.keys()]);

    const lastApplied = applied[applied.length - 1];
    await recordPosition(tx, projection.name, {
      topic: last.topic,
      partition: last.partition,
      offset: endOffset !== undefined && BigInt(endOffset) > BigInt(last.offset) ? endOffset : last.offset,
      globalPosition: applied.length > 0 ? Math.max(...applied.map((e) => e.globalPosition)) : undefined,
      lastRecordedAt: lastApplied?.recordedAt,
    });
    return {
      applied,
      skipped: plan.skipped.length,
      parked: parked.length,
      newlyParked,
      stage,
    };
  });
}
