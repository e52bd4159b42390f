import { randomBytes } from 'node:crypto';
import { ledgerUpcasters } from '@ledger/application';
import { eventTopics, topicOf, type EventType } from '@ledger/contracts';
import { PostgresEventStore, runMigrations } from '@ledger/event-store';
import { createKafka, type TopicRouter } from '@ledger/messaging';
import { createTestDatabase, kafkaBrokers, schemaRegistryUrl, type TestDatabase } from '@ledger/testing';
import { registerSchemas } from '@ledger/schemas';
import type { Admin, Kafka } from 'kafkajs';
import { loadEventRelayConfig, type EventRelayConfig } from '../../apps/event-relay/src/config';

/** A fresh event store for one round; dropped afterwards. */
export interface RoundStore {
  readonly database: TestDatabase;
  readonly store: PostgresEventStore;
  close(): Promise<void>;
}

export interface TopicSet {
  readonly topicFor: TopicRouter;
  readonly topics: string[];
}

/**
 * Kafka, the registry and per-round resources: databases and topic sets with broker append time
 * (LogAppendTime), so a record's timestamp says when the broker wrote it.
 */
export class BenchWorld {
  readonly kafka: Kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'relay-bench' });
  private readonly admin: Admin = this.kafka.admin();
  private readonly created: string[] = [];
  private readonly prefix = `bench-relay.${randomBytes(4).toString('hex')}`;

  private constructor(private readonly partitions: number) {}

  static async create(partitions: number): Promise<BenchWorld> {
    const registry = schemaRegistryUrl();
    await registerSchemas({ url: registry });
    const world = new BenchWorld(partitions);
    await world.admin.connect();
    return world;
  }

  async roundStore(): Promise<RoundStore> {
    const database = await createTestDatabase('bench_relay');
    await runMigrations(database.url);
    const store = new PostgresEventStore({
      connectionString: database.url,
      poolSize: 24,
      upcasters: ledgerUpcasters(),
    });
    return {
      database,
      store,
      async close() {
        await store.close();
        await database.drop();
      },
    };
  }

  async topicSet(label: string): Promise<TopicSet> {
    const topicFor: TopicRouter = (type) => `${this.prefix}.${label}.${topicOf(type)}`;
    const topics = [...new Set(Object.keys(eventTopics).map((type) => topicFor(type as EventType)))];
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({
        topic,
        numPartitions: this.partitions,
        replicationFactor: 1,
        configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }],
      })),
    });
    this.created.push(...topics);
    return { topicFor, topics };
  }

  relayConfig(databaseUrl: string, env: Record<string, string>): EventRelayConfig {
    return loadEventRelayConfig({
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      SCHEMA_REGISTRY_URL: schemaRegistryUrl(),
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
      RELAY_PROVISION_TOPICS: 'false',
      ...env,
    });
  }

  async close(): Promise<void> {
    if (this.created.length > 0)
      await this.admin.deleteTopics({ topics: this.created }).catch(() => undefined);
    await this.admin.disconnect();
  }
}
