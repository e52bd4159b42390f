import type { EachBatchHandler } from 'kafkajs';
import { idle } from '@ledger/runtime';
import { untilSuccess } from './blocking';
import type { DecodedEvent } from './event';
import { readRetryTicket } from './failure-headers';
import { blockingContextOf, type HandlerDependencies } from './main-consumer';
import { publishParkedHeads } from './publisher';
import { toProjectionRecord } from './record';
import { retryParkedStream } from './retry-path';

/**
 * Consumes the retry topics. Each record waits (heartbeating) until its `retry-not-before` time, then the
 * stream's whole parking queue is retried from Postgres; the record itself is only the trigger.
 */
export function retryBatchHandler<E extends DecodedEvent>(deps: HandlerDependencies<E>): EachBatchHandler {
  const { runtime, signal, logger, metrics } = deps;
  const name = runtime.projection.name;
  return async (payload) => {
    const { batch } = payload;
    const context = blockingContextOf(deps, payload);
    for (const message of batch.messages) {
      if (signal.aborted || !payload.isRunning() || payload.isStale()) return;
      const record = toProjectionRecord(batch.topic, batch.partition, message);
      const where = {
        projection: name,
        topic: batch.topic,
        partition: batch.partition,
        offset: record.offset,
      };
      const ticket = readRetryTicket(record.key, record.headers);
      if (!ticket) {
        logger.error(where, 'record on a retry topic has no park token or time: ignored');
      } else {
        const waitMs = ticket.notBefore - Date.now();
        if (
          waitMs > 0 &&
          !(await idle(waitMs, { signal, tick: payload.heartbeat, tickEveryMs: deps.heartbeatEveryMs }))
        ) {
          return;
        }
        const outcome = await untilSuccess(() => retryParkedStream(runtime, ticket), context, where);
        if (!outcome) return;
        const log = { ...where, streamId: ticket.streamId, outcome: outcome.kind };
        if (outcome.kind !== 'stale')
          metrics.applied(name, batch.topic, batch.partition, outcome.applied.length);
        if (outcome.kind === 'released') logger.info(log, 'parked stream released');
        if (outcome.kind === 'parked') {
          if (outcome.stage.stage === 'retry') metrics.retryScheduled(name, outcome.stage.level);
          else metrics.deadLettered(name);
          logger.warn(
            { ...log, stage: outcome.stage.stage, retryLevel: outcome.stage.level },
            'parked stream failed again',
          );
          const streamIds = [ticket.streamId];
          const sent = await untilSuccess(
            () => publishParkedHeads(runtime.pool, deps.producer, name, { streamIds }),
            context,
            where,
          );
          if (sent === undefined) return;
        }
      }
      payload.resolveOffset(record.offset);
      await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
    }
  };
}
