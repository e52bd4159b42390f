import { randomUUID } from 'node:crypto';
import { AvroEventCodec } from '@ledger/messaging';
import { avroRecordDecoder } from '@ledger/projections';
import {
  ensureProjectionTopics,
  startProjector,
  type DecodedEvent,
  type Projection,
  type ProjectorHandle,
  type ProjectorOptions,
} from '@ledger/projections';
import { kafkaBrokers, schemaRegistryUrl, waitFor } from '@ledger/testing';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { relayMessage } from './records';

/**
 * A topic of its own, a projection name (consumer group) of its own with its retry and dead-letter
 * topics, a producer that publishes events as the relay does, in Avro through the shared registry.
 */
export class KafkaScenario {
  readonly topic = `read-models-test.${randomUUID().slice(0, 8)}`;
  readonly name = `read-models-test.projection.${randomUUID().slice(0, 8)}`;
  private readonly kafka = new Kafka({
    clientId: `read-models-test-${randomUUID().slice(0, 8)}`,
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  private readonly codec = AvroEventCodec.forRegistry(schemaRegistryUrl());
  private admin!: Admin;
  private producer!: Producer;
  private readonly created: string[] = [];
  private readonly projectors: ProjectorHandle[] = [];

  async setUp(partitions = 3): Promise<void> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
    await this.admin.createTopics({
      topics: [{ topic: this.topic, numPartitions: partitions }],
      waitForLeaders: true,
    });
    this.created.push(this.topic);
    this.created.push(
      ...(await ensureProjectionTopics(this.admin, this.name, { retryLevels: 1, partitions: 1 })),
    );
    // A new topic can take a moment to be served by its leader after creation returns.
    await waitFor(
      async () => {
        const { topics } = await this.admin.fetchTopicMetadata({ topics: this.created });
        return topics.every((topic) => topic.partitions.every((partition) => partition.leader >= 0));
      },
      { what: 'leaders of the new topics' },
    );
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
  }

  async publish(events: readonly DecodedEvent[]): Promise<void> {
    const messages = await Promise.all(events.map((event) => relayMessage(event, this.codec)));
    await this.producer.send({ topic: this.topic, acks: -1, messages });
  }

  /** Starts an instance of the projector in the scenario's group; several instances share the partitions. */
  async start(
    projection: (options: { name: string; topics: string[] }) => Projection<DecodedEvent>,
    pool: Pool,
    options: Partial<Pick<ProjectorOptions<DecodedEvent>, 'metrics' | 'maxBatchSize'>> = {},
  ): Promise<ProjectorHandle> {
    const projector = await startProjector({
      kafka: this.kafka,
      pool,
      projection: projection({ name: this.name, topics: [this.topic] }),
      decode: avroRecordDecoder(this.codec),
      retry: { levels: 1, delaysMs: [100], attemptsPerEvent: 1 },
      consumerConfig: { maxWaitTimeInMs: 100 },
      maxBatchSize: 100,
      ...options,
    });
    this.projectors.push(projector);
    return projector;
  }

  /** The offset after the last record of each partition of the topic. */
  async endOffsets(): Promise<Map<number, number>> {
    const offsets = await this.admin.fetchTopicOffsets(this.topic);
    return new Map(offsets.map(({ partition, high }) => [partition, Number(high)]));
  }

  async tearDown(): Promise<void> {
    await Promise.allSettled(this.projectors.map((projector) => projector.stop()));
    await this.producer?.disconnect();
    if (this.created.length > 0)
      await this.admin?.deleteTopics({ topics: this.created }).catch(() => undefined);
    await this.admin?.disconnect();
  }
}
