import { DynamicModule, INestApplication, Module, type OnApplicationShutdown } from '@nestjs/common';
import { baseEnvSchema, loadConfig } from '@ledger/config';
import { PostgresEventStore } from '@ledger/event-store';
import { AvroEventCodec, createKafka, kafkaSecurityFrom, registryConnectionFrom } from '@ledger/messaging';
import { avroRecordDecoder } from '@ledger/projections';
import {
  createLogger,
  createMetricsRegistry,
  kafkaCheck,
  ObservabilityModule,
  postgresCheck,
  DependencyUse,
  dependencyUseCheck,
} from '@ledger/observability';
import {
  DecodedEvent,
  ensureProjectionSchemaIfPending,
  EventConsumer,
  ProjectorModule,
  prometheusProjectionMetrics,
  RetryPolicy,
  startProjector,
} from '@ledger/projections';
import {
  activeVersion,
  liveProjectionOf,
  PeriodicReconciliation,
  scheduleReconciliation,
  type ReadModelName,
  type ReconciledModel,
} from '@ledger/read-models';
import type { Kafka } from 'kafkajs';
import { createPool } from '@ledger/postgres';
import type { Pool } from 'pg';
import { z } from 'zod';
import { provision, retryTopicsEnv } from '../provision';
import { ledgerUpcasters } from '../upcasters';
import { FollowingProjector, FollowingProjectorModule } from './following-projector';
import { serveOpsApp } from './ops-app';

export const consumerEnvSchema = baseEnvSchema.extend({
  OPS_PORT: z.coerce.number().int().min(1).max(65535),
  ...retryTopicsEnv,
  RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  MAX_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /**
   * Partitions of the consumed topics processed at once, each in its own transaction: at most this many
   * pool connections busy (keep it below DATABASE_POOL_SIZE). Per-stream order holds at any value.
   */
  PARTITIONS_CONSUMED_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(6),
  /**
   * Kafka offset commits at most this often (ms; 0: after every chunk). The checkpoints in Postgres decide
   * what is applied: a later commit only means records read again after a restart, skipped unapplied.
   */
  OFFSET_COMMIT_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** Pause between two reconciliation passes of the read model against the store; 0 turns it off. */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
  /** Streams per pass for each of the incremental walk and the full pass: bounds a pass's cost. */
  RECONCILE_BATCH_STREAMS: z.coerce.number().int().min(1).max(10_000).default(500),
  /** A read model behind a head younger than this is catching up, not drifting. */
  RECONCILE_GRACE_MS: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
  /** How often a read-model projector looks for a rebuild's swap to another version (ADR 0020). */
  READ_MODEL_VERSION_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
});
export type ConsumerConfig = z.infer<typeof consumerEnvSchema>;

/** What a consumer's projection may use: the read-model database, the event store (for commands), Kafka. */
export interface ConsumerDeps {
  pool: Pool;
  store: PostgresEventStore;
  kafka: Kafka;
  config: ConsumerConfig;
}

export interface ConsumerAppOptions {
  service: string;
  defaultOpsPort: number;
  /** What the app consumes with, unless it keeps a read model (`readModel`). */
  projection?: (deps: ConsumerDeps) => EventConsumer<DecodedEvent>;
  /**
   * The read model this projector keeps: it runs the active version's projection and follows a rebuild's
   * swap to a new version (ADR 0020).
   */
  readModel?: ReadModelName;
  /** Extra schema the projection needs (its read-model tables), ensured before consuming. */
  prepare?: (pool: Pool) => Promise<void>;
  /** The read model this consumer writes, checked against the store every RECONCILE_INTERVAL_MS. */
  reconciliation?: ReconciledModel;
  env?: NodeJS.ProcessEnv;
}

/**
 * A Kafka consumer service (projector or process manager): the projection runtime with retry topics and
 * a dead-letter topic, plus /health/live, /health/ready and /metrics on OPS_PORT.
 */
export async function createConsumerApp(options: ConsumerAppOptions): Promise<INestApplication> {
  const env = options.env ?? process.env;
  const config = loadConfig(consumerEnvSchema, { OPS_PORT: String(options.defaultOpsPort), ...env });
  const logger = createLogger(options.service, config.LOG_LEVEL);
  const onConnectionError = (error: Error) => logger.warn({ err: error }, 'database connection failed');
  const pool = createPool(
    { connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE },
    onConnectionError,
  );
  const store = new PostgresEventStore({
    connectionString: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    upcasters: ledgerUpcasters(),
    onPoolError: onConnectionError,
  });
  const registryConnection = registryConnectionFrom(config);
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: `${config.KAFKA_CLIENT_ID}-${options.service}`,
    logger,
    ...kafkaSecurityFrom(config),
  });
  const admin = kafka.admin();
  const registry = createMetricsRegistry(options.service);
  const registryUse = new DependencyUse();
  const deps: ConsumerDeps = { pool, store, kafka, config };

  // `ops-cli setup` migrates the schema as the owner; the app's own role may not run DDL, so it migrates
  // only when migrations are pending (a fresh test database).
  await ensureProjectionSchemaIfPending(pool);
  await options.prepare?.(pool);
  await admin.connect();
  // Its own retry and dead-letter topics (per consumer group: a rebuilt version has its own), as
  // `ops-cli setup` provisions them from the same settings.
  const ensureTopics = (group: string) =>
    provision({
      consumerTopics: {
        admin: async () => admin,
        groups: [group],
        retryDelaysMs: config.RETRY_DELAYS_MS,
        partitions: config.RETRY_TOPIC_PARTITIONS,
      },
    });
  const projectorOptions = (projection: EventConsumer<DecodedEvent>) => ({
    kafka,
    pool,
    projection,
    decode: avroRecordDecoder(AvroEventCodec.forRegistry(registryConnection, registryUse)),
    retry: {
      levels: config.RETRY_DELAYS_MS.length,
      delaysMs: config.RETRY_DELAYS_MS,
      attemptsPerEvent: config.RETRY_ATTEMPTS,
    } satisfies RetryPolicy,
    maxBatchSize: config.MAX_BATCH_SIZE,
    partitionsConsumedConcurrently: config.PARTITIONS_CONSUMED_CONCURRENTLY,
    offsetCommitIntervalMs: config.OFFSET_COMMIT_INTERVAL_MS,
    logger,
  });
  let projectorModule: DynamicModule;
  if (options.readModel) {
    const model = options.readModel;
    // One set of metrics across the versions the app runs in its lifetime.
    const metrics = prometheusProjectionMetrics(registry);
    const following = new FollowingProjector({
      resolve: () => activeVersion(pool, model),
      start: async (active) => {
        await ensureTopics(active.group);
        return startProjector({ ...projectorOptions(liveProjectionOf(model, active)), metrics });
      },
      pollMs: config.READ_MODEL_VERSION_POLL_MS,
      logger,
    });
    projectorModule = {
      module: FollowingProjectorModule,
      providers: [{ provide: FollowingProjector, useValue: following }],
    };
  } else {
    if (!options.projection) throw new Error('a consumer app needs a projection or a read model');
    const projection = options.projection(deps);
    await ensureTopics(projection.name);
    projectorModule = ProjectorModule.forRoot({
      useFactory: () => ({ ...projectorOptions(projection), registry }),
    });
  }

  @Module({})
  class ConsumerModule {
    static forRoot(closeClients: OnApplicationShutdown): DynamicModule {
      return {
        module: ConsumerModule,
        providers: [{ provide: 'CONSUMER_CLIENTS_SHUTDOWN', useValue: closeClients }],
        imports: [
          ObservabilityModule.forRoot({
            service: options.service,
            level: config.LOG_LEVEL,
            registry,
            checks: {
              // The registry counts only when decoding failed for want of it: schemas are cached.
              useFactory: () => [
                postgresCheck(pool),
                kafkaCheck(admin),
                dependencyUseCheck('schema-registry', registryUse),
              ],
            },
          }),
          projectorModule,
        ],
      };
    }
  }

  const reconciliation =
    options.reconciliation && config.RECONCILE_INTERVAL_MS > 0
      ? scheduleReconciliation(
          new PeriodicReconciliation({
            pool,
            model: options.reconciliation,
            registry,
            batchStreams: config.RECONCILE_BATCH_STREAMS,
            graceMs: config.RECONCILE_GRACE_MS,
            onDrift: (drift) =>
              logger.warn(
                { projection: options.reconciliation?.name, streams: drift.slice(0, 20) },
                `read model drift in ${drift.length} stream(s)`,
              ),
          }),
          config.RECONCILE_INTERVAL_MS,
          (error) => logger.warn({ err: error }, 'reconciliation pass failed; the next pass retries'),
        )
      : undefined;
  // Nest's application proxy ignores assignments (`app.close = …` is a no-op), so the clients are closed by
  // a shutdown hook, which runs after the projector has stopped consuming.
  const closeClients: OnApplicationShutdown = {
    async onApplicationShutdown() {
      await reconciliation?.stop();
      await admin.disconnect();
      await store.close();
      await pool.end();
    },
  };
  return serveOpsApp(ConsumerModule.forRoot(closeClients), config.OPS_PORT, env.OPS_HOST);
}
