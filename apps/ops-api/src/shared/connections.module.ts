import { DynamicModule, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AvroEventCodec, createKafka, kafkaSecurityFrom, registryConnectionFrom } from '@ledger/messaging';
import { createPool } from '@ledger/postgres';
import type { Admin, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { OpsApiConfig } from '../config';

export const OPS_POOL = Symbol('OPS_POOL');
export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');
export const PRODUCER = Symbol('PRODUCER');
export const EVENT_CODEC = Symbol('EVENT_CODEC');

/** A producer connected on first use, so the API starts (and lists dead letters) while Kafka is away. */
export class LazyProducer {
  private connected?: Promise<Producer>;
  constructor(private readonly producer: Producer) {}

  get(): Promise<Producer> {
    this.connected ??= this.producer.connect().then(
      () => this.producer,
      (error: unknown) => {
        this.connected = undefined;
        throw error;
      },
    );
    return this.connected;
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
  }
}

/** The database pool (the ops role: the projection runtime's dead-letter tables), Kafka clients and the codec. */
@Module({})
export class ConnectionsModule implements OnApplicationShutdown {
  constructor(
    @Inject(OPS_POOL) private readonly pool: Pool,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(PRODUCER) private readonly producer: LazyProducer,
  ) {}

  static forRoot(config: OpsApiConfig): DynamicModule {
    const kafka = createKafka({
      brokers: config.KAFKA_BROKERS,
      clientId: `${config.KAFKA_CLIENT_ID}-ops-api`,
      ...kafkaSecurityFrom(config),
      requestTimeoutMs: 5_000,
      connectionTimeoutMs: 3_000,
    });
    return {
      module: ConnectionsModule,
      providers: [
        {
          provide: OPS_POOL,
          useFactory: () => {
            const logger = new Logger('OpsPool');
            return createPool(
              {
                connectionString: config.DATABASE_URL,
                max: config.DATABASE_POOL_SIZE,
                statement_timeout: 10_000,
                application_name: 'ops-api',
              },
              (error) => logger.warn({ err: error }, 'database connection failed'),
            );
          },
        },
        {
          provide: KAFKA_ADMIN,
          useFactory: () => {
            const admin = kafka.admin();
            // Readiness reports a missing broker; the API itself must start without one.
            admin
              .connect()
              .catch((error: unknown) =>
                new Logger('KafkaAdmin').warn({ err: error }, 'Kafka admin not connected yet'),
              );
            return admin;
          },
        },
        {
          provide: PRODUCER,
          useFactory: () => new LazyProducer(kafka.producer({ idempotent: true, maxInFlightRequests: 1 })),
        },
        {
          provide: EVENT_CODEC,
          useFactory: () => AvroEventCodec.forRegistry(registryConnectionFrom(config)),
        },
      ],
      exports: [OPS_POOL, KAFKA_ADMIN, PRODUCER, EVENT_CODEC],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.producer.close(), this.admin.disconnect(), this.pool.end()]);
  }
}
