import type { EachBatchHandler } from 'kafkajs';
import { idle } from '@ledger/runtime';
import { BatchContext, type HandlerDependencies } from './consumer-context';
import type { DecodedEvent } from './event';
import { readRetryTicket } from './failure-headers';
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
    const context = new BatchContext(deps, payload);
    for (const message of batch.messages) {
      if (!context.owned) return;
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
        const outcome = await context.untilSuccess(() => retryParkedStream(runtime, ticket), where);
        if (!outcome) return;
        const log = { ...where, streamId: ticket.streamId, outcome: outcome.kind };
        if (outcome.kind !== 'stale')
          metrics.applied(name, batch.topic, batch.partition, outcome.applied.length);
        if (outcome.kind === 'released') logger.info(log, 'parked stream released');
        if (outcome.kind === 'parked') {
          context.countParked(outcome.stage);
          logger.warn(
            { ...log, stage: outcome.stage.stage, retryLevel: outcome.stage.level },
            'parked stream failed again',
          );
          if (!(await context.publishHeads([ticket.streamId], where))) return;
        }
      }
      await context.commitThrough(record.offset);
    }
  };
}
