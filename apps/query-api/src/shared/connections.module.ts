import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import type { QueryApiConfig } from '../config';
import { createReadModelPool, READ_MODEL_POOL } from './database';
import { createKafkaAdmin, KAFKA_ADMIN } from './kafka';

/** Owns the read-model pool and the Kafka admin client, so both close with the app. */
@Module({})
export class ConnectionsModule implements OnApplicationShutdown {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
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
          provide: KAFKA_ADMIN,
          useFactory: () => createKafkaAdmin(config.KAFKA_BROKERS, config.KAFKA_CLIENT_ID),
        },
      ],
      exports: [READ_MODEL_POOL, KAFKA_ADMIN],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.admin.disconnect(), this.pool.end()]);
  }
}
