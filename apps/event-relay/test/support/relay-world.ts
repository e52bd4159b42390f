import { randomBytes } from 'node:crypto';
import { ledgerUpcasters } from '@ledger/application';
import { eventTopics, topicOf, type EventType } from '@ledger/contracts';
import { PostgresEventStore, runMigrations, type RecordedEvent } from '@ledger/event-store';
import { createKafka, provisionTopics, type TopicRouter } from '@ledger/messaging';
import { createTestDatabase, kafkaBrokers, schemaRegistryUrl, type TestDatabase } from '@ledger/testing';
import { registerSchemas } from '@ledger/schemas';
import type { Admin, Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { loadEventRelayConfig, type EventRelayConfig } from '../../src/config';
import { startEventRelay, type EventRelay, type EventRelayOptions } from '../../src/event-relay';
import { LedgerLoad } from './ledger-load';
import { TopicReader } from './topic-reader';

/**
 * One test file's world: a fresh event store database, event topics of its own (the real names with a
 * random prefix), the schemas registered under their real subjects (idempotent), relays and readers that
 * are all closed again by `close()`.
 */
export class RelayWorld {
  readonly prefix = `relay-test.${randomBytes(4).toString('hex')}`;
  readonly topicFor: TopicRouter = (type) => `${this.prefix}.${topicOf(type)}`;
  readonly topics = [...new Set(Object.keys(eventTopics).map((type) => this.topicFor(type as EventType)))];
  readonly kafka: Kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'relay-test' });
  readonly store: PostgresEventStore;
  readonly sql: Pool;
  readonly load: LedgerLoad;
  private readonly admin: Admin = this.kafka.admin();
  private readonly relays: EventRelay[] = [];
  private readonly readers: TopicReader[] = [];

  private constructor(readonly database: TestDatabase) {
    this.store = new PostgresEventStore({
      connectionString: database.url,
      poolSize: 20,
      upcasters: ledgerUpcasters(),
    });
    this.sql = new Pool({ connectionString: database.url, max: 2 });
    this.load = new LedgerLoad(this.store);
  }

  static async create(): Promise<RelayWorld> {
    const database = await createTestDatabase('relay');
    await runMigrations(database.url);
    const world = new RelayWorld(database);
    const registry = schemaRegistryUrl();
    await registerSchemas({ url: registry });
    await world.admin.connect();
    // KAFKA_REPLICATION_FACTOR comes from the stack's env.sh: 3 on a three-node cluster.
    await provisionTopics(world.admin, {
      topics: world.topics,
      partitions: 6,
      replicationFactor: Number(process.env.KAFKA_REPLICATION_FACTOR ?? 1),
    });
    return world;
  }

  config(env: Record<string, string> = {}): EventRelayConfig {
    return loadEventRelayConfig({
      DATABASE_URL: this.database.url,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      SCHEMA_REGISTRY_URL: schemaRegistryUrl(),
      LOG_LEVEL: process.env.RELAY_TEST_LOG_LEVEL ?? 'silent',
      RELAY_PROVISION_TOPICS: 'false',
      ...env,
    });
  }

  async startRelay(env: Record<string, string> = {}, options: EventRelayOptions = {}): Promise<EventRelay> {
    const relay = await startEventRelay(this.config(env), { topicFor: this.topicFor, ...options });
    this.relays.push(relay);
    return relay;
  }

  async reader(): Promise<TopicReader> {
    const reader = new TopicReader(this.kafka, this.topics);
    this.readers.push(reader);
    return reader.start();
  }

  /** Every committed event, as the relay reads it (upcast to current versions); order is not significant. */
  async storedEvents(): Promise<RecordedEvent[]> {
    const events = await this.store.readAll({ limit: 10_000 });
    if (events.length === 10_000) throw new Error('more events than a test is expected to write');
    return events;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.relays.map((relay) => relay.stop()));
    await Promise.allSettled(this.readers.map((reader) => reader.stop()));
    if (!process.env.KEEP_TOPICS)
      await this.admin.deleteTopics({ topics: this.topics }).catch(() => undefined);
    await this.admin.disconnect();
    await this.store.close();
    await this.sql.end();
    await this.database.drop();
  }
}
