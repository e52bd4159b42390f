import {
  context,
  isSpanContextValid,
  Link,
  propagation,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanOptions,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Context,
  type SpanContext,
} from '@opentelemetry/api';

/** The tracer of the ledger's own spans (instrumentations bring their own). */
export const ledgerTracer = () => trace.getTracer('ledger');

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The span context a W3C `traceparent` names, or undefined when it is absent or malformed. */
export function spanContextOf(traceparent: string | undefined): SpanContext | undefined {
  const match = traceparent === undefined ? null : TRACEPARENT.exec(traceparent);
  if (!match) return undefined;
  const spanContext: SpanContext = {
    traceId: match[1]!,
    spanId: match[2]!,
    traceFlags: parseInt(match[3]!, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

/** `00-<trace id>-<span id>-<flags>` of a span context. */
export function traceparentOf(spanContext: SpanContext): string {
  return `00-${spanContext.traceId}-${spanContext.spanId}-0${(spanContext.traceFlags & TraceFlags.SAMPLED).toString(16)}`;
}

/**
 * The traceparent of the active span, or undefined when there is none (tracing off, or outside any span).
 * It is what an append stores in the event's metadata, so consumers can link back to the span that wrote it.
 */
export function activeTraceparent(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? traceparentOf(spanContext) : undefined;
}

/** A context whose parent is the remote span `traceparent` names (the root context when it names none). */
export function contextOfTraceparent(traceparent: string | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, traceparent ? { traceparent } : {});
}

/** One link per distinct originating span among `traceparents`, at most `limit` of them. */
export function linksTo(traceparents: Iterable<string | undefined>, limit = 128): Link[] {
  const seen = new Set<string>();
  const links: Link[] = [];
  for (const traceparent of traceparents) {
    const spanContext = spanContextOf(traceparent);
    if (!spanContext || seen.has(spanContext.spanId) || links.length >= limit) continue;
    seen.add(spanContext.spanId);
    links.push({ context: spanContext });
  }
  return links;
}

/**
 * Runs `work` in a new span made active for it (so pg queries and nested spans become its children), ends
 * it when `work` settles and marks it failed when `work` throws. `parent` defaults to the active context.
 */
export async function inSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  return ledgerTracer().startActiveSpan(name, options, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      span.end();
    }
  });
}

export { SpanKind };

/**
 * Exports the spans the SDK still buffers (no-op when tracing is off). Apps call it on shutdown, so the
 * spans of their last seconds are not lost with the process.
 */
export async function flushSpans(): Promise<void> {
  const provider = trace.getTracerProvider() as { getDelegate?: () => { forceFlush?: () => Promise<void> } };
  await provider.getDelegate?.().forceFlush?.();
}
