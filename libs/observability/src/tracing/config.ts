import { loadConfig } from '@ledger/config';
import { z } from 'zod';

const optionalUrl = z
  .string()
  .url()
  .regex(/^https?:\/\//, 'an http(s) URL')
  .optional();

/**
 * The standard OpenTelemetry variables the apps honour, validated like every other setting. Tracing is off
 * unless OTEL_TRACES_EXPORTER=otlp; the exporter speaks OTLP over HTTP with protobuf bodies.
 */
export const tracingEnvSchema = z.object({
  /** `otlp` exports spans; `none` (default) records nothing. */
  OTEL_TRACES_EXPORTER: z.enum(['none', 'otlp']).default('none'),
  /** Disables the SDK whatever the exporter says. */
  OTEL_SDK_DISABLED: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /** Base URL of the collector; spans go to `<endpoint>/v1/traces`. Default http://localhost:4318. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** Full URL for spans only; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl,
  /** Only the protobuf-over-HTTP transport is built in. */
  OTEL_EXPORTER_OTLP_PROTOCOL: z.literal('http/protobuf').default('http/protobuf'),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.literal('http/protobuf').optional(),
  /** Overrides the service name the app gives itself. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** Read by the SDK itself; validated here so a typo stops the start instead of silently sampling everything. */
  OTEL_TRACES_SAMPLER: z
    .enum([
      'always_on',
      'always_off',
      'traceidratio',
      'parentbased_always_on',
      'parentbased_always_off',
      'parentbased_traceidratio',
    ])
    .optional(),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
});

export type TracingConfig = z.infer<typeof tracingEnvSchema>;

export const loadTracingConfig = (env: NodeJS.ProcessEnv = process.env): TracingConfig =>
  loadConfig(tracingEnvSchema, env);

/** True when spans are to be exported. */
export const tracingEnabled = (config: TracingConfig): boolean =>
  !config.OTEL_SDK_DISABLED && config.OTEL_TRACES_EXPORTER === 'otlp';
