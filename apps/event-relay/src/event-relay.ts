import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ledgerUpcasters, provision } from '@ledger/application';
import { eventTopics, topicOf, type EventType } from '@ledger/contracts';
import { PostgresEventStore } from '@ledger/event-store';
import {
  AvroEventCodec,
  createKafka,
  createRelayProducer,
  kafkaSecurityFrom,
  KafkaGroupCheckpoints,
  OutboxRelay,
  PostgresLagProbe,
  PostgresLeaderLock,
  registryConnectionFrom,
  type TopicRouter,
} from '@ledger/messaging';
import {
  createLogger,
  createMetricsRegistry,
  dependencyUseCheck,
  DependencyUse,
  kafkaCheck,
  relayMetrics,
  type HealthCheck,
  type Logger,
} from '@ledger/observability';
import type { Registry } from 'prom-client';
import { relayCheckpointTopic, relayTransactionalId, type EventRelayConfig } from './config';

export interface EventRelayOptions {
  /** Topic per event type; default the catalogue's. Tests route to topics of their own. */
  readonly topicFor?: TopicRouter;
  readonly registry?: Registry;
  readonly logger?: Logger;
  /** Names this instance in logs and in pg_stat_activity; default host, pid and a random suffix. */
  readonly instanceId?: string;
}

/** A relay instance with its connections, not yet competing for leadership. */
export interface EventRelay {
  readonly instanceId: string;
  readonly relay: OutboxRelay;
  readonly registry: Registry;
  /** Readiness: Postgres and Kafka answer, and encoding has not failed for want of the registry. */
  readonly healthChecks: HealthCheck[];
  start(): void;
  /** Stops relaying (finishing the batch in flight), releases the lock and closes every connection. */
  stop(): Promise<void>;
}

/**
 * Wires the framework-free relay to Postgres, Kafka and the registry, and provisions the event topics
 * when configured to. Used by the Nest app and, without Nest, by tests and benchmarks.
 */
export async function createEventRelay(
  config: EventRelayConfig,
  options: EventRelayOptions = {},
): Promise<EventRelay> {
  const instanceId = options.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const logger = (options.logger ?? createLogger('event-relay', config.LOG_LEVEL)).child({ instanceId });
  const registry = options.registry ?? createMetricsRegistry('event-relay');
  const topicFor = options.topicFor ?? topicOf;
  const registryConnection = registryConnectionFrom(config);
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID,
    logger,
    ...kafkaSecurityFrom(config),
  });
  const admin = kafka.admin();
  // Connected on first use, and again after a failure: a relay that starts while the broker is down comes
  // up (not ready) and waits, unless it has to provision topics first.
  let adminConnection: Promise<void> | undefined;
  const connectedAdmin = async () => {
    adminConnection ??= admin.connect().catch((error: unknown) => {
      adminConnection = undefined;
      throw error;
    });
    await adminConnection;
    return admin;
  };
  const topics = [...new Set(Object.keys(eventTopics).map((type) => topicFor(type as EventType)))];
  if (config.RELAY_PROVISION_TOPICS) {
    try {
      // The event-topic step of `ops-cli setup`, with the relay's own settings.
      await provision(
        {
          eventTopics: {
            admin: connectedAdmin,
            topics,
            partitions: config.KAFKA_TOPIC_PARTITIONS,
            replicationFactor: config.KAFKA_REPLICATION_FACTOR,
          },
        },
        (step, result) => {
          logger.info({ topics }, `${step}: ${result.summary}`);
          for (const warning of result.warnings)
            logger.warn(`event topic layout differs from the configuration: ${warning}`);
        },
      );
    } catch (error) {
      await admin.disconnect();
      throw error;
    }
  }

  // The relay reads one batch at a time and writes one checkpoint at a time, so 2 connections are plenty;
  // LISTEN, the lock and the lag probe open one each of their own.
  const store = new PostgresEventStore({
    connectionString: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    upcasters: ledgerUpcasters(),
  });
  const lagProbe = new PostgresLagProbe(config.DATABASE_URL);
  const registryUse = new DependencyUse();
  const transactionalId = relayTransactionalId(config);
  const relay = new OutboxRelay({
    store,
    checkpointName: config.RELAY_CHECKPOINT_NAME,
    leaderLock: new PostgresLeaderLock({
      connectionString: config.DATABASE_URL,
      lockName: `ledger.relay.${config.RELAY_CHECKPOINT_NAME}`,
      applicationName: `ledger-relay-lock:${instanceId}`,
      logger,
    }),
    createProducer: () => createRelayProducer(kafka, transactionalId),
    partitionCounts: async (batchTopics) => {
      const { topics: metadata } = await (
        await connectedAdmin()
      ).fetchTopicMetadata({
        topics: [...batchTopics],
      });
      return new Map(metadata.map(({ name, partitions }) => [name, partitions.length]));
    },
    kafkaCheckpoints: new KafkaGroupCheckpoints(kafka, {
      groupId: transactionalId,
      topic: relayCheckpointTopic(config),
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    }),
    encoder: AvroEventCodec.forRegistry(registryConnection, registryUse),
    topicFor,
    batchSize: config.RELAY_BATCH_SIZE,
    lingerMs: config.RELAY_LINGER_MS,
    pollIntervalMs: config.RELAY_POLL_INTERVAL_MS,
    lagProbe,
    metrics: relayMetrics(registry),
    logger,
  });

  let stopping: Promise<void> | undefined;
  return {
    instanceId,
    relay,
    registry,
    healthChecks: [
      { name: 'postgres', check: async () => void (await store.readAll({ limit: 1 })) },
      { name: 'kafka', check: async () => kafkaCheck(await connectedAdmin()).check() },
      // Schema ids are cached: the registry counts only when encoding failed for want of it.
      dependencyUseCheck('schema-registry', registryUse),
    ],
    start: () => relay.start(),
    stop() {
      stopping ??= (async () => {
        await relay.stop();
        await Promise.all([admin.disconnect(), lagProbe.close(), store.close()]);
        logger.info('event relay stopped');
      })();
      return stopping;
    },
  };
}

/** Creates a relay and starts competing for leadership at once. */
export async function startEventRelay(
  config: EventRelayConfig,
  options: EventRelayOptions = {},
): Promise<EventRelay> {
  const eventRelay = await createEventRelay(config, options);
  eventRelay.start();
  return eventRelay;
}
