import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { kafkaSecurityFrom } from '@ledger/messaging';
import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import type { QueryApiConfig } from '../config';
import type { NotificationListener } from '@ledger/postgres';
import {
  createReadModelPool,
  EVENT_STORE_POOL,
  PROGRESS_NOTIFICATIONS,
  progressListener,
  READ_MODEL_POOL,
} from './database';
import { createKafkaAdmin, KAFKA_ADMIN } from './kafka';

/**
 * Owns the read-model pool, the event-store pool (only when minPosition waits for the relay and the
 * event store lives in another database), the projections' progress listener and the Kafka admin
 * client, so all close with the app.
 */
@Module({})
export class ConnectionsModule implements OnApplicationShutdown {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE_POOL) private readonly eventStorePool: Pool | null,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(PROGRESS_NOTIFICATIONS) private readonly progress: NotificationListener,
  ) {}

  static forRoot(config: QueryApiConfig): DynamicModule {
    return {
      module: ConnectionsModule,
      providers: [
        {
          provide: READ_MODEL_POOL,
          useFactory: () => createReadModelPool(config.DATABASE_URL, config.DATABASE_POOL_SIZE),
        },
        {
          provide: EVENT_STORE_POOL,
          inject: [READ_MODEL_POOL],
          useFactory: (readModels: Pool) => {
            if (!config.QUERY_WAIT_FOR_RELAY) return null;
            const url = config.EVENT_STORE_DATABASE_URL;
            return url === undefined || url === config.DATABASE_URL
              ? readModels
              : createReadModelPool(url, 4);
          },
        },
        {
          provide: PROGRESS_NOTIFICATIONS,
          useFactory: async () => {
            const listener = progressListener(config.DATABASE_URL);
            // Resolves after the first attempt: the app starts (and heals the listener) without Postgres.
            await listener.start();
            return listener;
          },
        },
        {
          provide: KAFKA_ADMIN,
          useFactory: () =>
            createKafkaAdmin(config.KAFKA_BROKERS, config.KAFKA_CLIENT_ID, kafkaSecurityFrom(config)),
        },
      ],
      exports: [READ_MODEL_POOL, EVENT_STORE_POOL, KAFKA_ADMIN, PROGRESS_NOTIFICATIONS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    const separate = this.eventStorePool !== null && this.eventStorePool !== this.pool;
    await Promise.allSettled([
      this.admin.disconnect(),
      this.progress.close(),
      this.pool.end(),
      separate && this.eventStorePool.end(),
    ]);
  }
}
