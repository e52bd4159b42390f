import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@ledger/auth';
import { createMetricsRegistry, kafkaCheck, ObservabilityModule, postgresCheck } from '@ledger/observability';
import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { OPS_API_CONFIG, OpsApiConfig } from './config';
import { ConsoleController } from './console/console.controller';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { ConnectionsModule, KAFKA_ADMIN, OPS_POOL } from './shared/connections.module';

@Module({})
export class OpsApiModule {
  static forRoot(config: OpsApiConfig): DynamicModule {
    const connections = ConnectionsModule.forRoot(config);
    return {
      module: OpsApiModule,
      imports: [
        AuthModule.forRoot(config),
        connections,
        ObservabilityModule.forRoot({
          service: 'ops-api',
          level: config.LOG_LEVEL,
          registry: createMetricsRegistry('ops-api'),
          imports: [connections],
          checks: {
            inject: [OPS_POOL, KAFKA_ADMIN],
            useFactory: (pool: Pool, admin: Admin) => [
              postgresCheck(pool),
              // Without Kafka only redrive and discard fail (503): degraded, still ready.
              { ...kafkaCheck(admin), degradesOnly: true },
            ],
          },
        }),
      ],
      controllers: [DeadLettersController, ConsoleController],
      providers: [{ provide: OPS_API_CONFIG, useValue: config }],
    };
  }
}
