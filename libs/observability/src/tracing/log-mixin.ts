import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * A pino mixin: every line logged while a span is active carries its `trace_id` and `span_id` (the names
 * the OpenTelemetry log data model uses), so a log search leads to the trace and back.
 */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
