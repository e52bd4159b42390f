import pino, { Logger, LoggerOptions } from 'pino';
import { traceLogFields } from './tracing/log-mixin';

/**
 * Structured JSON logs. Fields that identify an event travel as top-level keys (eventId, streamId,
 * streamVersion, globalPosition, topic, partition, offset, correlationId) so they can be searched; a line
 * logged inside a span also carries its trace_id and span_id.
 */
export function loggerOptions(level = process.env.LOG_LEVEL ?? 'info', service?: string): LoggerOptions {
  return {
    level,
    base: service ? { service } : undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    mixin: traceLogFields,
  };
}

export function createLogger(service: string, level?: string): Logger {
  return pino(loggerOptions(level, service));
}

export type { Logger } from 'pino';
