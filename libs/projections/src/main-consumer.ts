import type { EachBatchHandler } from 'kafkajs';
import { BatchContext, type HandlerDependencies, type Where } from './consumer-context';
import type { DecodedEvent } from './event';
import { ignoredChunk, processChunk, type ChunkOutcome } from './main-path';
import { toProjectionRecord, type ProjectionRecord } from './record';
import { decodeCandidates, type Runtime } from './runtime';

/**
 * Consumes the projection's topics. Each chunk of a batch commits to Postgres first; only then are new
 * parked heads sent and the offset resolved and committed, so Kafka never gets ahead of the read model.
 * A chunk of records the consumer ignores (by their `event-type` header) needs no transaction at all.
 * The next chunk is decoded while the current one's transaction runs (decoding is CPU, the transaction
 * mostly waits on Postgres); a chunk whose decoding failed is decoded again inside the blocking retry.
 */
export function mainBatchHandler<E extends DecodedEvent>(deps: HandlerDependencies<E>): EachBatchHandler {
  const { runtime, metrics } = deps;
  const name = runtime.projection.name;
  return async (payload) => {
    const { batch } = payload;
    const context = new BatchContext(deps, payload);
    const records = batch.messages.map((message) =>
      toProjectionRecord(batch.topic, batch.partition, message),
    );
    const chunks: ProjectionRecord[][] = [];
    for (let start = 0; start < records.length; start += deps.maxBatchSize)
      chunks.push(records.slice(start, start + deps.maxBatchSize));
    let ahead = decodeAhead(runtime, chunks[0]);
    for (const [index, chunk] of chunks.entries()) {
      if (!context.owned) return;
      const decoded = ahead;
      ahead = decodeAhead(runtime, chunks[index + 1]);
      const last = chunk[chunk.length - 1]!;
      const where = {
        projection: name,
        topic: batch.topic,
        partition: batch.partition,
        offset: chunk[0]!.offset,
      };
      // The batch's last offset includes control records (the relay's commit markers) after its last record.
      const end = index === chunks.length - 1 ? batch.lastOffset() : last.offset;
      const started = performance.now();
      let prefetched = await decoded;
      const position = { topic: batch.topic, partition: batch.partition, offset: end };
      const outcome = await context.untilSuccess(async () => {
        const candidates = prefetched ?? (await decode(runtime, chunk));
        prefetched = undefined;
        if (candidates.some((candidate) => !candidate.ignored)) {
          const processed = await processChunk(runtime, candidates, end);
          deps.positions.recorded(position);
          return processed;
        }
        // Nothing to apply, skip or park: no transaction, and the position is written later, in bulk.
        await deps.positions.note(position);
        return ignoredChunk(runtime, candidates.length);
      }, where);
      if (!outcome) return;
      metrics.batch(name, chunk.length, (performance.now() - started) / 1000);
      report(deps, context, outcome, where);
      if (
        !(await context.publishHeads(
          outcome.newlyParked.map((head) => head.streamId),
          where,
        ))
      )
        return;
      await context.commitThrough(last.offset);
      const lag = Math.max(0, Number(batch.highWatermark) - Number(end) - 1);
      metrics.progress(
        name,
        batch.topic,
        batch.partition,
        lag,
        outcome.applied[outcome.applied.length - 1]?.recordedAt,
      );
    }
  };
}

const decode = <E extends DecodedEvent>(runtime: Runtime<E>, chunk: ProjectionRecord[]) =>
  decodeCandidates(runtime.decode, chunk, runtime.projection.eventTypes);

/** Starts decoding a chunk; a failure leaves it to be decoded again in the chunk's own retry loop. */
const decodeAhead = <E extends DecodedEvent>(runtime: Runtime<E>, chunk: ProjectionRecord[] | undefined) =>
  chunk && decode(runtime, chunk).catch(() => undefined);

function report<E extends DecodedEvent>(
  { logger, metrics, runtime }: HandlerDependencies<E>,
  context: BatchContext<E>,
  outcome: ChunkOutcome<E>,
  where: Where,
): void {
  const name = runtime.projection.name;
  metrics.applied(name, where.topic, where.partition, outcome.applied.length);
  if (outcome.skipped > 0) metrics.skipped(name, outcome.skipped);
  if (outcome.parked > 0) metrics.parked(name, outcome.parked);
  for (const head of outcome.newlyParked) {
    context.countParked(outcome.stage);
    logger.warn(
      { projection: name, ...head, stage: outcome.stage.stage, retryLevel: outcome.stage.level },
      'event failed, its stream is parked',
    );
  }
  logger.debug(
    {
      ...where,
      applied: outcome.applied.length,
      skipped: outcome.skipped,
      ignored: outcome.ignored,
      parked: outcome.parked,
    },
    'chunk committed',
  );
}
