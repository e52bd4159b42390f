import { Kafka, logLevel, type KafkaConfig, type logCreator, type RetryOptions } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaSecurity } from './security';

export interface KafkaClientOptions extends KafkaSecurity {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Receives kafkajs' own logs at the logger's level; silent when absent. */
  readonly logger?: Logger;
  /** kafkajs retry policy of every request (connect, metadata, produce, admin). */
  readonly retry?: RetryOptions;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

// Bounded so a caller that has its own retry loop (the relay, a projector) gets control back within
// seconds during an outage instead of waiting in kafkajs' 30 s ladder.
export const DEFAULT_KAFKA_RETRY: RetryOptions = { initialRetryTime: 300, retries: 5, maxRetryTime: 5_000 };

const PINO_TO_KAFKAJS: Record<string, logLevel> = {
  trace: logLevel.DEBUG,
  debug: logLevel.DEBUG,
  info: logLevel.INFO,
  warn: logLevel.WARN,
  error: logLevel.ERROR,
  fatal: logLevel.ERROR,
  silent: logLevel.NOTHING,
};

/** The kafkajs level that lets through what `logger` would print. */
export function kafkaLogLevelOf(logger: Logger | undefined): logLevel {
  return logger === undefined ? logLevel.NOTHING : (PINO_TO_KAFKAJS[logger.level] ?? logLevel.INFO);
}

// kafkajs logs every retried request as an error. A transaction that starts while the coordinator still
// writes the previous commit's markers meets CONCURRENT_TRANSACTIONS and succeeds on a retry milliseconds
// later: for the transactional relay that is every other batch, so it is debug, not an error.
const ROUTINE_RETRIES = [
  'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing',
];
// The producer's send retry names the error only in its message (`Failed to send messages: <error>`, with
// `retryCount` and `retryTime` as fields); other paths carry it as an `error` field.
const isRoutineRetry = (message: string, fields: Record<string, unknown>): boolean =>
  ROUTINE_RETRIES.some((error) => fields.error === error || message.endsWith(`: ${error}`));

/**
 * Routes kafkajs log entries into pino, keeping kafkajs' structured fields as top-level keys; routine
 * retries (see above) at debug level.
 */
export function pinoLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log }) => {
      const {
        message,
        timestamp: _timestamp,
        logger: _name,
        ...fields
      } = log as typeof log & { logger?: string };
      const context = { kafkaNamespace: namespace, ...fields };
      if (isRoutineRetry(message, fields)) child.debug(context, message);
      else if (level === logLevel.ERROR) child.error(context, message);
      else if (level === logLevel.WARN) child.warn(context, message);
      else if (level === logLevel.INFO) child.info(context, message);
      else child.debug(context, message);
    };
}

/**
 * The one way apps build a kafkajs client: brokers, client id, TLS and SASL (`kafkaSecurityFrom`), logs
 * into pino, bounded retries.
 */
export function createKafka(options: KafkaClientOptions): Kafka {
  return new Kafka(kafkaConfigOf(options));
}

/** The kafkajs configuration `createKafka` uses; separate so tests can see what a client is built with. */
export function kafkaConfigOf(options: KafkaClientOptions): KafkaConfig {
  return {
    clientId: options.clientId,
    brokers: [...options.brokers],
    ssl: options.ssl,
    sasl: options.sasl,
    logLevel: kafkaLogLevelOf(options.logger),
    logCreator: options.logger ? pinoLogCreator(options.logger) : undefined,
    retry: { ...DEFAULT_KAFKA_RETRY, ...options.retry },
    connectionTimeout: options.connectionTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
  };
}
