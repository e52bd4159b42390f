import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { loadTracingConfig, tracingEnabled, type TracingConfig } from './config';
import { ledgerInstrumentations } from './instrumentations';

export interface Tracing {
  readonly enabled: boolean;
  readonly instrumentations: Instrumentation[];
  /** Exports what is buffered and stops; a no-op when tracing is off. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  env?: NodeJS.ProcessEnv;
  /** Replaces the OTLP exporter setup (tests: an in-memory exporter behind a simple processor). */
  spanProcessors?: SpanProcessor[];
}

const off: Tracing = { enabled: false, instrumentations: [], shutdown: async () => undefined };

function otlpExporter(config: TracingConfig): SpanExporter {
  const base = config.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  const url = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base}/v1/traces` : undefined);
  return new OTLPTraceExporter(url ? { url } : {});
}

/**
 * Starts tracing for `service` when the configuration asks for it (OTEL_TRACES_EXPORTER=otlp), before the
 * modules it instruments are loaded: an app's entrypoint imports its `tracing.ts` first. Registers the
 * global tracer provider, W3C trace-context propagation and the async context manager. Throws a
 * ConfigError naming the variable when the configuration is invalid.
 */
export function startTracing(service: string, options: TracingOptions = {}): Tracing {
  const config = loadTracingConfig(options.env ?? process.env);
  if (!options.spanProcessors && !tracingEnabled(config)) return off;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME ?? service }),
    spanProcessors: options.spanProcessors ?? [new BatchSpanProcessor(otlpExporter(config))],
  });
  provider.register();
  const instrumentations = ledgerInstrumentations();
  const unregister = registerInstrumentations({ instrumentations, tracerProvider: provider });
  return {
    enabled: true,
    instrumentations,
    async shutdown() {
      unregister();
      await provider.shutdown();
    },
  };
}
