import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

const UNTRACED_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * HTTP (server and client), Express, Nest and pg. Probes and scrapes make no traces; pg queries and
 * outgoing calls (the schema registry) are recorded only inside a trace, so the relay's tail polling and
 * the consumers' housekeeping do not each start a trace of their own.
 *
 * Kafka has no instrumentation here on purpose: the maintained kafkajs one replaces each record's
 * `traceparent` header with its own send span, while the ledger's header carries the context of the
 * request that appended the event (the relay publishes events of many requests in one batch). The relay
 * and the projection runtime open their spans themselves (see the README's observability section).
 */
export function ledgerInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]!),
      requireParentforOutgoingSpans: true,
    }),
    new ExpressInstrumentation(),
    new NestInstrumentation(),
    new PgInstrumentation({ requireParentSpan: true }),
  ];
}
