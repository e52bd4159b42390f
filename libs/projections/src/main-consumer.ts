import type { EachBatchHandler, EachBatchPayload, Producer } from 'kafkajs';
import { untilSuccess, type BlockingContext } from './blocking';
import type { DecodedEvent } from './event';
import type { BackoffOptions, RuntimeLogger } from '@ledger/runtime';
import { processChunk, type ChunkOutcome } from './main-path';
import type { ProjectionMetrics } from './metrics';
import { publishParkedHeads } from './publisher';
import { toProjectionRecord, type ProjectionRecord } from './record';
import { decodeCandidates, type Runtime } from './runtime';

export interface HandlerDependencies<E extends DecodedEvent> {
  runtime: Runtime<E>;
  producer: Producer;
  signal: AbortSignal;
  logger: RuntimeLogger;
  metrics: ProjectionMetrics;
  backoff: BackoffOptions;
  maxBatchSize: number;
  heartbeatEveryMs: number;
}

/** How a handler blocks on a failure: heartbeating, pausable, backing off, counted per consumer. */
export function blockingContextOf<E extends DecodedEvent>(
  deps: HandlerDependencies<E>,
  payload: Pick<EachBatchPayload, 'heartbeat' | 'pause'>,
): BlockingContext {
  const name = deps.runtime.projection.name;
  return {
    signal: deps.signal,
    heartbeat: payload.heartbeat,
    pausePartition: payload.pause,
    backoff: deps.backoff,
    logger: deps.logger,
    onFailure: () => deps.metrics.blockedRetry(name),
    heartbeatEveryMs: deps.heartbeatEveryMs,
  };
}

/**
 * Consumes the projection's topics. Each chunk of a batch commits to Postgres first; only then are new
 * parked heads sent and the offset resolved and committed, so Kafka never gets ahead of the read model.
 * The next chunk is decoded while the current one's transaction runs (decoding is CPU, the transaction
 * mostly waits on Postgres); a chunk whose decoding failed is decoded again inside the blocking retry.
 */
export function mainBatchHandler<E extends DecodedEvent>(deps: HandlerDependencies<E>): EachBatchHandler {
  const { runtime, signal, metrics } = deps;
  const name = runtime.projection.name;
  return async (payload) => {
    const { batch } = payload;
    const context = blockingContextOf(deps, payload);
    const records = batch.messages.map((message) =>
      toProjectionRecord(batch.topic, batch.partition, message),
    );
    const chunks: ProjectionRecord[][] = [];
    for (let start = 0; start < records.length; start += deps.maxBatchSize)
      chunks.push(records.slice(start, start + deps.maxBatchSize));
    const decodeAhead = (chunk: ProjectionRecord[] | undefined) =>
      chunk && decodeCandidates(runtime.decode, chunk, runtime.projection.eventTypes).catch(() => undefined);
    let ahead = decodeAhead(chunks[0]);
    for (const [index, chunk] of chunks.entries()) {
      if (signal.aborted || !payload.isRunning() || payload.isStale()) return;
      const decoded = ahead;
      ahead = decodeAhead(chunks[index + 1]);
      const last = chunk[chunk.length - 1]!;
      const where = {
        projection: name,
        topic: batch.topic,
        partition: batch.partition,
        offset: chunk[0]!.offset,
      };
      const started = performance.now();
      let prefetched = await decoded;
      const outcome = await untilSuccess(
        async () => {
          const candidates =
            prefetched ?? (await decodeCandidates(runtime.decode, chunk, runtime.projection.eventTypes));
          prefetched = undefined;
          return processChunk(runtime, candidates);
        },
        context,
        where,
      );
      if (!outcome) return;
      metrics.batch(name, chunk.length, (performance.now() - started) / 1000);
      report(deps, outcome, where);
      if (outcome.newlyParked.length > 0) {
        const streamIds = outcome.newlyParked.map((head) => head.streamId);
        const sent = await untilSuccess(
          () => publishParkedHeads(runtime.pool, deps.producer, name, { streamIds }),
          context,
          where,
        );
        if (sent === undefined) return;
      }
      payload.resolveOffset(last.offset);
      await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
      const lag = Math.max(0, Number(batch.highWatermark) - Number(last.offset) - 1);
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

function report<E extends DecodedEvent>(
  { logger, metrics, runtime }: HandlerDependencies<E>,
  outcome: ChunkOutcome<E>,
  where: { projection: string; topic: string; partition: number },
): void {
  const name = runtime.projection.name;
  metrics.applied(name, where.topic, where.partition, outcome.applied.length);
  if (outcome.skipped > 0) metrics.skipped(name, outcome.skipped);
  if (outcome.parked > 0) metrics.parked(name, outcome.parked);
  for (const head of outcome.newlyParked) {
    if (outcome.stage.stage === 'retry') metrics.retryScheduled(name, outcome.stage.level);
    else metrics.deadLettered(name);
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
