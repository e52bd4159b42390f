import { EventHeaders } from '@ledger/contracts';
import { linksTo, SpanKind } from '@ledger/observability';
import type { SpanOptions } from '@opentelemetry/api';
import type { ProjectionRecord } from './record';

/**
 * The span of one chunk: a consumer span of its own trace, linked to the span that appended each event (the
 * `traceparent` header). A chunk holds events of many requests, so they are links, not parents.
 */
export function chunkSpanOptions(projection: string, records: readonly ProjectionRecord[]): SpanOptions {
  const first = records[0]!;
  return {
    kind: SpanKind.CONSUMER,
    root: true,
    links: linksTo(records.map((record) => record.headers[EventHeaders.traceparent])),
    attributes: {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': projection,
      'messaging.destination.name': first.topic,
      'messaging.destination.partition.id': String(first.partition),
      'messaging.batch.message_count': records.length,
      'messaging.kafka.offset': first.offset,
    },
  };
}
