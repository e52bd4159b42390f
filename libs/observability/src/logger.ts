import pino, { Logger, LoggerOptions } from 'pino';

/**
 * Structured JSON logs. Fields that identify an event travel as top-level keys (eventId, streamId,
 * streamVersion, globalPosition, topic, partition, offset, correlationId) so they can be searched.
 */
export function loggerOptions(level = process.env.LOG_LEVEL ?? 'info', service?: string): LoggerOptions {
  return {
    level,
    base: service ? { service } : undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: ['req.headers.authorization', 'req.headers.cookie'],
  };
}

export function createLogger(service: string, level?: string): Logger {
  return pino(loggerOptions(level, service));
}

export type { Logger } from 'pino';
