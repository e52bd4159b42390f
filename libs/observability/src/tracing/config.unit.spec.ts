import { ConfigError } from '@ledger/config';
import { loadTracingConfig, tracingEnabled } from './config';
import { linksTo, spanContextOf, traceparentOf } from './context';
import { startTracing } from './sdk';

describe('tracing configuration', () => {
  it('is off by default, and starting it then registers nothing', () => {
    expect(tracingEnabled(loadTracingConfig({}))).toBe(false);
    expect(startTracing('test', { env: {} }).enabled).toBe(false);
  });

  it('exports over OTLP only when asked to, and not when the SDK is disabled', () => {
    expect(tracingEnabled(loadTracingConfig({ OTEL_TRACES_EXPORTER: 'otlp' }))).toBe(true);
    expect(
      tracingEnabled(loadTracingConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' })),
    ).toBe(false);
  });

  it.each([
    ['OTEL_TRACES_EXPORTER', 'jaeger'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'not a url'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc'],
    ['OTEL_TRACES_SAMPLER', 'sometimes'],
    ['OTEL_TRACES_SAMPLER_ARG', '2'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    let thrown: unknown;
    try {
      startTracing('test', { env: { OTEL_TRACES_EXPORTER: 'otlp', [name]: value } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).issues.join('\n')).toContain(name);
  });
});

describe('traceparent helpers', () => {
  const given = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('read and write W3C traceparents', () => {
    const spanContext = spanContextOf(given);
    expect(spanContext).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      isRemote: true,
    });
    expect(traceparentOf(spanContext!)).toBe(given);
    expect(spanContextOf('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).toBeUndefined();
    expect(spanContextOf('not a traceparent')).toBeUndefined();
  });

  it('link each originating span once, skipping events without a valid context', () => {
    const other = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00';
    const links = linksTo([given, undefined, other, given, 'garbage']);
    expect(links.map((link) => link.context.spanId)).toEqual(['00f067aa0ba902b7', 'b7ad6b7169203331']);
    expect(linksTo([given, other], 1)).toHaveLength(1);
  });
});
