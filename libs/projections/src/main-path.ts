import { batchHandlerOf } from './projection';
import type { DecodedEvent } from './event';
import { CheckpointConflictError, describeError, type ErrorDescription } from './errors';
import { applyIsolating, IsolationNeeded, optimisticFailure } from './apply';
import { planRecords, settle } from './plan';
import { firstStage, type Stage } from './policy';
import type { Candidate } from './plan';
import type { Runtime } from './runtime';
import { checkpointWrites, readStreamStates } from './store/checkpoints';
import { runWrites } from './store/combined-writes';
import { mirrorDeadLetters } from './store/dead-letters';
import { parkRecords, recordCoordinates, setHead } from './store/parking';
import { inTransaction } from './store/transaction';
import { inSpan } from '@ledger/observability';
import { chunkSpanOptions } from './tracing';

export interface ChunkOutcome<E extends DecodedEvent> {
  applied: E[];
  skipped: number;
  /** Records of types the consumer does not act on, skipped undecoded. */
  ignored: number;
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
 * Processes decoded records of one topic-partition (in offset order) in one transaction: skips what the
 * checkpoints say is applied, applies the rest, parks the records of parked streams and of streams whose
 * event failed, advances checkpoints and the partition position. Nothing is sent to Kafka here.
 */
export async function processChunk<E extends DecodedEvent>(
  runtime: Runtime<E>,
  candidates: readonly Candidate<E>[],
  /**
   * The last offset the chunk covers, when beyond its last record: the relay's transaction markers (and
   * records of aborted transactions) follow it, and count as read, or the partition would never look
   * caught up (its end offset is past the marker).
   */
  endOffset?: string,
): Promise<ChunkOutcome<E>> {
  const records = candidates.map((candidate) => candidate.record);
  return inSpan(
    `${runtime.projection.name} process`,
    chunkSpanOptions(runtime.projection.name, records),
    async (span) => {
      // Most chunks apply whole: try without a savepoint, and only after a failure isolate the poison.
      const outcome = await applyChunk(runtime, candidates, 'optimistic', endOffset).catch(
        (error: unknown) => {
          if (error instanceof IsolationNeeded)
            return applyChunk(runtime, candidates, 'isolating', endOffset);
          throw error;
        },
      );
      span.setAttributes({
        'ledger.events.applied': outcome.applied.length,
        'ledger.events.skipped': outcome.skipped,
        'ledger.events.parked': outcome.parked,
      });
      return outcome;
    },
  );
}

/** The outcome of a chunk whose every record is of a type the consumer ignores: nothing to do in Postgres. */
export function ignoredChunk<E extends DecodedEvent>(runtime: Runtime<E>, records: number): ChunkOutcome<E> {
  return {
    applied: [],
    skipped: 0,
    ignored: records,
    parked: 0,
    newlyParked: [],
    stage: firstStage(runtime.policy, new Date()),
  };
}

async function applyChunk<E extends DecodedEvent>(
  runtime: Runtime<E>,
  candidates: readonly Candidate<E>[],
  mode: 'optimistic' | 'isolating',
  endOffset: string | undefined,
): Promise<ChunkOutcome<E>> {
  const { pool, projection, policy } = runtime;
  const streamIds = [
    ...new Set(candidates.filter((candidate) => !candidate.ignored).map((candidate) => candidate.streamId)),
  ];
  const last = candidates[candidates.length - 1]!.record;

  return inTransaction(pool, async (tx) => {
    const { checkpoints, parked: parkedStreams } = await readStreamStates(tx, projection.name, streamIds);
    const plan = planRecords(candidates, checkpoints, parkedStreams);
    const { applied, failures, deferred } = await applyIsolating(
      tx,
      batchHandlerOf(projection),
      plan.toApply,
      policy.attemptsPerEvent,
      mode,
    );

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
    // The read model's writes (optimistic mode), the checkpoints and the position in one statement, after
    // the parking rows: everything commits together.
    const checkpointing = checkpointWrites(projection.name, checkpoints, applied, {
      topic: last.topic,
      partition: last.partition,
      offset: endOffset !== undefined && BigInt(endOffset) > BigInt(last.offset) ? endOffset : last.offset,
      globalPosition: applied.length > 0 ? maxGlobalPosition(applied) : undefined,
      lastRecordedAt: lastApplied?.recordedAt,
    });
    if (deferred.length === 0) await runWrites(tx, checkpointing);
    else
      await runWrites(tx, [...deferred, ...checkpointing]).catch((error: unknown) => {
        // A checkpoint that moved is a conflict to retry, not the batch's poison.
        throw error instanceof CheckpointConflictError ? error : optimisticFailure(error);
      });
    return {
      applied,
      skipped: plan.skipped.length,
      ignored: plan.ignored.length,
      parked: parked.length,
      newlyParked,
      stage,
    };
  });
}

// Not Math.max(...positions): a spread of a large chunk can exceed the engine's argument limit.
function maxGlobalPosition(events: readonly DecodedEvent[]): number {
  let highest = 0;
  for (const event of events) if (event.globalPosition > highest) highest = event.globalPosition;
  return highest;
}
