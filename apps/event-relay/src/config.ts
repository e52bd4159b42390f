import { baseEnvSchema, loadConfig } from '@ledger/config';
import { kafkaNamespace } from '@ledger/contracts';
import { z } from 'zod';

const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((value) => value === 'true');

export const eventRelayEnvSchema = baseEnvSchema.extend({
  /** Port of /health/live, /health/ready and /metrics. */
  OPS_PORT: z.coerce.number().int().min(1).max(65535).default(3010),
  /** Events per store read and per Kafka transaction. */
  RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(1_000),
  /** Name of the relay's checkpoint; instances sharing it also share one leader lock. */
  RELAY_CHECKPOINT_NAME: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/)
    .default('outbox-relay'),
  /**
   * Transactional id of the relay's producer, shared by every instance of one deployment (a newer leader
   * fences an older one with it); also the consumer group that carries the checkpoint on Kafka. Default:
   * `ledger.relay.<database>.<RELAY_CHECKPOINT_NAME>` in the KAFKA_TOPIC_PREFIX namespace, the database
   * taken from DATABASE_URL.
   */
  RELAY_TRANSACTIONAL_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,200}$/)
    .optional(),
  /**
   * One-partition topic whose committed offset (in group RELAY_TRANSACTIONAL_ID) carries the checkpoint.
   * Default: `ledger.relay.checkpoints` in the KAFKA_TOPIC_PREFIX namespace.
   */
  RELAY_CHECKPOINT_TOPIC: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,200}$/)
    .optional(),
  /**
   * How long a batch smaller than RELAY_BATCH_SIZE may wait for more events before its transaction starts.
   * Each transaction costs the brokers several requests and log writes, whatever its size. 0 (the default)
   * sends every batch at once: what arrives while a transaction is on the wire joins the next one anyway,
   * and at 50 commands/s a 10 ms linger saved 4 % of the system's CPU for 10 ms on every command's
   * visibility (ADR 0019).
   */
  RELAY_LINGER_MS: z.coerce.number().int().min(0).max(1_000).default(0),
  /** Fallback poll when no append notification arrives; notifications normally wake the relay at once. */
  RELAY_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  /** Create missing event topics at start-up and report existing ones whose layout differs. */
  RELAY_PROVISION_TOPICS: flag('true'),
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1_000).default(6),
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(10).default(1),
});

export type EventRelayConfig = z.infer<typeof eventRelayEnvSchema>;

/** The configured transactional id, or the default derived from the database and the checkpoint name. */
export function relayTransactionalId(config: EventRelayConfig, env: NodeJS.ProcessEnv = process.env): string {
  if (config.RELAY_TRANSACTIONAL_ID !== undefined) return config.RELAY_TRANSACTIONAL_ID;
  const database = decodeURIComponent(new URL(config.DATABASE_URL).pathname.slice(1)) || 'default';
  return `${kafkaNamespace(env)}ledger.relay.${database}.${config.RELAY_CHECKPOINT_NAME}`;
}

/** The configured checkpoint topic, or `ledger.relay.checkpoints` in the deployment's namespace. */
export function relayCheckpointTopic(config: EventRelayConfig, env: NodeJS.ProcessEnv = process.env): string {
  return config.RELAY_CHECKPOINT_TOPIC ?? `${kafkaNamespace(env)}ledger.relay.checkpoints`;
}

export const loadEventRelayConfig = (env: NodeJS.ProcessEnv = process.env): EventRelayConfig =>
  loadConfig(eventRelayEnvSchema, env);
