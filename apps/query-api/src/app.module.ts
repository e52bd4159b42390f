import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule, AuthModuleOptions } from '@ledger/auth';
import { createMetricsRegistry, kafkaCheck, ObservabilityModule, postgresCheck } from '@ledger/observability';
import { projectionStatus, readModelFreshnessMetrics } from '@ledger/projections';
import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { BalanceAsOfController } from './accounts/balance-as-of/balance-as-of.controller';
import { GetAccountController } from './accounts/get-account/get-account.controller';
import { AccountHistoryController } from './accounts/history/history.controller';
import { ListAccountsController } from './accounts/list-accounts/list-accounts.controller';
import { StatementController } from './accounts/statement/statement.controller';
import { QUERY_API_CONFIG, QueryApiConfig } from './config';
import {
  CONSISTENCY_SOURCES,
  CONSISTENCY_WAITS,
  CONSISTENCY_WAKE,
  ConsistencyGate,
  ConsistencySources,
} from './consistency/consistency-gate';
import { consistencyWaitMetrics } from './consistency/consistency-metrics';
import { DEFAULT_FEEDS, PROJECTION_FEEDS, ProjectionFeeds } from './consistency/feeds';
import { eventStoreCheck, relayPublished, storeHead } from './consistency/relay-progress';
import { kafkaLogEnds, recordedProgress } from './consistency/progress';
import { ProjectionsController } from './projections/projections.controller';
import { ConnectionsModule } from './shared/connections.module';
import { EVENT_STORE_POOL, PROGRESS_NOTIFICATIONS, READ_MODEL_POOL } from './shared/database';
import { KAFKA_ADMIN } from './shared/kafka';
import { GetTransferController } from './transfers/get-transfer/get-transfer.controller';
import { ListTransfersController } from './transfers/list-transfers/list-transfers.controller';

export interface QueryApiOptions {
  /** The projections behind the endpoints; tests point them at their own topics. */
  feeds?: ProjectionFeeds;
  /** Replaces Kafka and the positions table as the source of consistency decisions. */
  consistencySources?: ConsistencySources;
  /** Token verification replaced (benchmarks only). */
  auth?: AuthModuleOptions;
}

const READ_MODEL_FRESHNESS = Symbol('READ_MODEL_FRESHNESS');

// Positions are re-read at most this often whatever the number of waiting requests.
const PROGRESS_SHARE_MS = 10;

@Module({})
export class QueryApiModule {
  static forRoot(config: QueryApiConfig, options: QueryApiOptions = {}): DynamicModule {
    const registry = createMetricsRegistry('query-api');
    const connections = ConnectionsModule.forRoot(config);
    return {
      module: QueryApiModule,
      imports: [
        AuthModule.forRoot(config, options.auth),
        connections,
        ObservabilityModule.forRoot({
          service: 'query-api',
          level: config.LOG_LEVEL,
          registry,
          imports: [connections],
          checks: {
            inject: [READ_MODEL_POOL, EVENT_STORE_POOL, KAFKA_ADMIN],
            useFactory: (pool: Pool, eventStore: Pool | null, admin: Admin) => [
              postgresCheck(pool),
              // Without Kafka only minPosition reads and /projections fail (503): degraded, still ready.
              { ...kafkaCheck(admin), degradesOnly: true },
              ...(eventStore ? [eventStoreCheck(eventStore)] : []),
            ],
          },
        }),
      ],
      controllers: [
        GetAccountController,
        ListAccountsController,
        StatementController,
        AccountHistoryController,
        BalanceAsOfController,
        GetTransferController,
        ListTransfersController,
        ProjectionsController,
      ],
      providers: [
        { provide: QUERY_API_CONFIG, useValue: config },
        { provide: PROJECTION_FEEDS, useValue: options.feeds ?? DEFAULT_FEEDS },
        {
          provide: CONSISTENCY_SOURCES,
          inject: [READ_MODEL_POOL, EVENT_STORE_POOL, KAFKA_ADMIN],
          useFactory: (pool: Pool, eventStore: Pool | null, admin: Admin): ConsistencySources =>
            options.consistencySources ?? {
              logEnds: kafkaLogEnds(admin),
              progress: recordedProgress(pool, PROGRESS_SHARE_MS),
              published: eventStore ? relayPublished(eventStore, config.RELAY_CHECKPOINT_NAME) : undefined,
              head: eventStore ? storeHead(eventStore) : undefined,
            },
        },
        // The projectors' commits end a waiting read's pause early (migration 2 of the projection runtime).
        { provide: CONSISTENCY_WAKE, useExisting: PROGRESS_NOTIFICATIONS },
        {
          provide: CONSISTENCY_WAITS,
          useValue: consistencyWaitMetrics(registry),
        },
        {
          provide: READ_MODEL_FRESHNESS,
          inject: [READ_MODEL_POOL, KAFKA_ADMIN, PROJECTION_FEEDS],
          useFactory: (pool: Pool, admin: Admin, feeds: ProjectionFeeds) =>
            readModelFreshnessMetrics(
              registry,
              Object.fromEntries(
                Object.values(feeds).map(({ name, topics }) => [
                  name,
                  () => projectionStatus({ pool, admin }, name, [...topics]),
                ]),
              ),
            ),
        },
        ConsistencyGate,
      ],
    };
  }
}
