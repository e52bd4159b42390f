import type { RecordedEvent } from '@ledger/event-store';
import { linksTo, SpanKind } from '@ledger/observability';
import type { SpanOptions } from '@opentelemetry/api';

/**
 * The span of one published batch: a producer span of its own trace, linked to the span that appended each
 * event (its `traceparent`). A batch carries events of many requests, so they are links, not parents; the
 * records keep each event's own traceparent header for the consumers.
 */
export function publishSpanOptions(events: readonly RecordedEvent[]): SpanOptions {
  return {
    kind: SpanKind.PRODUCER,
    root: true,
    links: linksTo(events.map((event) => event.metadata.traceparent)),
    attributes: {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.batch.message_count': events.length,
      'ledger.global_position.from': events[0]?.globalPosition ?? 0,
      'ledger.global_position.to': events[events.length - 1]?.globalPosition ?? 0,
    },
  };
}
