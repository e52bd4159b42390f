import { context } from '@opentelemetry/api';
import { inNamespace } from '@ledger/contracts';
import { isLedgerEventType, SagaEvent } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { activeTraceparent, contextOfTraceparent, inSpan, SpanKind } from '@ledger/observability';
import type { DecodedEvent, Reactor } from '@ledger/projections';
import { TransferSaga, TransferSagaOptions } from './transfer-saga';

/** Logical consumer group of the transfer saga (namespaced at run time). */
export const TRANSFER_SAGA_GROUP = 'ledger.transfer-saga';

const SAGA_EVENTS = new Set([
  'ledger.transfers.TransferRequested',
  'ledger.accounts.TransferDebited',
  'ledger.accounts.TransferCredited',
  'ledger.accounts.TransferRefunded',
]);

/**
 * The transfer process as a Kafka consumer: a reactor, not a projection. It writes no read model and takes
 * no part in the runtime's transaction: its effects are commands, made idempotent by their deterministic
 * ids, so the runtime's per-stream checkpoint only saves repeats.
 */
export function transferSagaReactor(
  store: EventStore,
  options: TransferSagaOptions & { name?: string; topics?: string[] } = {},
): Reactor<DecodedEvent> {
  const saga = new TransferSaga(store, options);
  return {
    name: options.name ?? inNamespace(TRANSFER_SAGA_GROUP),
    topics: options.topics ?? [inNamespace('ledger.account.events'), inNamespace('ledger.transfer.events')],
    // Most account events (deposits, withdrawals, freezes) are no step of a transfer: the runtime skips
    // them by their `event-type` header without decoding them.
    eventTypes: SAGA_EVENTS,
    async react(events) {
      for (const event of events) {
        if (!SAGA_EVENTS.has(event.type) || !isLedgerEventType(event.type)) continue;
        const sagaEvent = {
          type: event.type,
          data: event.data,
          streamId: event.streamId,
          eventId: event.eventId,
        } as SagaEvent;
        // The step runs in a span of the request's trace (a child of the span that appended the event), and
        // the events it appends carry that span as their traceparent: one trace from request to completion.
        const attributes = {
          'ledger.event.type': event.type,
          'ledger.event.id': event.eventId,
          'ledger.stream.id': event.streamId,
        };
        const step = { kind: SpanKind.CONSUMER, attributes };
        await inSpan(
          `transfer-saga ${event.type}`,
          step,
          () =>
            saga.handle(sagaEvent, {
              correlationId: event.correlationId,
              traceparent: activeTraceparent() ?? event.traceparent,
              // The subject who requested the transfer, carried from step to step (each step's event names
              // the saga as actor and keeps this origin).
              originActor: event.originActor ?? event.actor,
              originActorRole: event.originActor ? event.originActorRole : event.actorRole,
            }),
          event.traceparent ? contextOfTraceparent(event.traceparent) : context.active(),
        );
      }
    },
  };
}
