import { trace } from '@opentelemetry/api';
import { BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { flushSpans } from './context';
import { startTracing } from './sdk';

describe('flushSpans', () => {
  it('is a no-op while tracing is off', async () => {
    await expect(flushSpans()).resolves.toBeUndefined();
  });

  it('exports what the batch processor still holds', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing('test', {
      env: {},
      spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000 })],
    });
    try {
      trace.getTracer('test').startSpan('buffered').end();
      expect(exporter.getFinishedSpans()).toHaveLength(0);
      await flushSpans();
      expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['buffered']);
    } finally {
      await tracing.shutdown();
    }
  });
});
