import { Logger } from '@nestjs/common';
import { createKafka, type KafkaSecurity } from '@ledger/messaging';
import type { Admin } from 'kafkajs';

export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');

/**
 * The admin client for log-end offsets. It connects in the background: reads without minPosition need
 * no Kafka, so a broker outage at start-up must not keep the API down (readiness reports it instead).
 */
export function createKafkaAdmin(
  brokers: readonly string[],
  clientId: string,
  security: KafkaSecurity = {},
): Admin {
  const admin = createKafka({
    brokers,
    clientId,
    ...security,
    requestTimeoutMs: 5_000,
    connectionTimeoutMs: 3_000,
  }).admin();
  const logger = new Logger('KafkaAdmin');
  admin
    .connect()
    .catch((error: unknown) => logger.warn({ err: error }, 'Kafka admin not connected yet; retrying on use'));
  return admin;
}
