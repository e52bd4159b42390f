import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import pino from 'pino';
import { Writable } from 'node:stream';
import { loggerOptions } from '../logger';

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')));
      done();
    },
  });
  return { logger: pino(loggerOptions('info', 'test'), sink), lines };
}

describe('log lines and the active span', () => {
  const manager = new AsyncLocalStorageContextManager().enable();
  beforeAll(() => context.setGlobalContextManager(manager));
  afterAll(() => {
    manager.disable();
    context.disable();
  });

  const spanContext = {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: TraceFlags.SAMPLED,
  };

  it('carry trace_id and span_id while a span is active, also after an await', async () => {
    const { logger, lines } = capturingLogger();
    await context.with(trace.setSpanContext(context.active(), spanContext), async () => {
      logger.info({ eventId: 'e-1' }, 'applied');
      await new Promise((resolve) => setImmediate(resolve));
      logger.child({ projection: 'p' }).warn('slow');
    });
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'applied',
        eventId: 'e-1',
        trace_id: spanContext.traceId,
        span_id: spanContext.spanId,
      }),
      expect.objectContaining({
        msg: 'slow',
        projection: 'p',
        trace_id: spanContext.traceId,
        span_id: spanContext.spanId,
      }),
    ]);
  });

  it('carry neither outside a span, nor for an invalid span context', () => {
    const { logger, lines } = capturingLogger();
    logger.info('outside');
    context.with(trace.setSpanContext(context.active(), { ...spanContext, traceId: '0'.repeat(32) }), () =>
      logger.info('invalid'),
    );
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toHaveProperty('trace_id');
      expect(line).not.toHaveProperty('span_id');
    }
  });
});
