import { Pool } from 'pg';
import { Registry } from 'prom-client';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { createTestDatabase, type TestDatabase } from '@ledger/testing';
import {
  ensureProjectionSchema,
  ensureProjectionTopics,
  decodeJsonRecord,
  startProjector,
  type ProjectorHandle,
  type ProjectorOptions,
  type DecodedEvent,
} from '@ledger/projections';
import { countersTableSql } from './counters';
import { createTopic, testKafka, uniqueName } from './kafka';

/**
 * Shared services of one test file (a fresh database, Kafka clients) and a factory of isolated scenarios:
 * each has its own topic, projection name (consumer group) and retry/dead-letter topics.
 */
export class Harness {
  database!: TestDatabase;
  pool!: Pool;
  kafka: Kafka = testKafka();
  admin!: Admin;
  producer!: Producer;
  private readonly running: ProjectorHandle[] = [];
  private readonly topics: string[] = [];

  async setUp(): Promise<void> {
    this.database = await createTestDatabase('projections');
    this.pool = new Pool({ connectionString: this.database.url, max: 10 });
    this.pool.on('error', () => undefined);
    await ensureProjectionSchema(this.pool);
    await this.pool.query(countersTableSql);
    this.admin = this.kafka.admin();
    await this.admin.connect();
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
  }

  async tearDown(): Promise<void> {
    await Promise.allSettled(this.running.map((handle) => handle.stop()));
    await this.producer?.disconnect();
    if (this.topics.length > 0)
      await this.admin?.deleteTopics({ topics: this.topics }).catch(() => undefined);
    await this.admin?.disconnect();
    await this.pool?.end();
    await this.database?.drop();
  }

  /** A new source topic and projection name, with its retry and dead-letter topics created. */
  async scenario(partitions: number, retryLevels: number): Promise<{ topic: string; name: string }> {
    const topic = uniqueName('test.events');
    const name = uniqueName('test-projection');
    await createTopic(this.admin, topic, partitions);
    const created = await ensureProjectionTopics(this.admin, name, { retryLevels, partitions: 1 });
    this.topics.push(topic, ...created);
    return { topic, name };
  }

  async start<E extends DecodedEvent>(
    options: Omit<ProjectorOptions<E>, 'kafka' | 'pool' | 'decode'> &
      Partial<Pick<ProjectorOptions<E>, 'decode' | 'kafka'>>,
  ): Promise<ProjectorHandle> {
    const handle = await startProjector<E>({
      kafka: this.kafka,
      pool: this.pool,
      decode: decodeJsonRecord as ProjectorOptions<E>['decode'],
      backoff: { initialMs: 10, maxMs: 100, jitter: 'full' },
      retry: { levels: 1, delaysMs: [20], attemptsPerEvent: 2 },
      consumerConfig: { maxWaitTimeInMs: 100 },
      ...options,
    });
    this.running.push(handle);
    return handle;
  }
}

/** Reads one counter of a projection from a registry (0 when it was never incremented). */
export async function counterValue(
  registry: Registry,
  metric: string,
  labels: Record<string, string>,
): Promise<number> {
  const found = (await registry.getSingleMetric(metric)?.get())?.values ?? [];
  return found
    .filter((value) =>
      Object.entries(labels).every(([name, expected]) => String(value.labels[name]) === expected),
    )
    .reduce((sum, value) => sum + value.value, 0);
}
