import { randomUUID } from 'node:crypto';
import { AvroEventCodec, type DecodedEvent } from '@ledger/messaging';
import { schemaRegistryUrl } from '@ledger/testing';
import type { Consumer, Kafka } from 'kafkajs';

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string;
  headers: Record<string, string>;
  event: DecodedEvent;
  receivedAt: number;
  /** The record batch that carried it, as kafkajs decoded it: who wrote it, in which transaction. */
  batch: RecordBatchContext;
}

export interface RecordBatchContext {
  firstOffset?: string;
  producerId?: string;
  producerEpoch?: number;
  firstSequence?: number;
  inTransaction?: boolean;
}

/**
 * What a real downstream consumer sees: a fresh consumer group reading the topics from the beginning,
 * decoding each value through the registry. `records` holds each record of the topics once: a record the
 * consumer is handed again at the same offset (it rejoined its group before committing, e.g. when it
 * starts while a broker recovers) is the reader's repeat, not a duplicate on the topic, and is only counted.
 */
export class TopicReader {
  readonly records: ConsumedRecord[] = [];
  /** Records handed over again at an offset already read. */
  redeliveries = 0;
  private readonly offsetsRead = new Set<string>();
  private readonly codec = AvroEventCodec.forRegistry(schemaRegistryUrl());
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: string[],
  ) {}

  async start(): Promise<this> {
    this.consumer = this.kafka.consumer({
      groupId: `relay-test-reader.${randomUUID()}`,
      maxWaitTimeInMs: 50,
      readUncommitted: false,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
        );
        const at = `${topic}/${partition}/${message.offset}`;
        if (this.offsetsRead.has(at)) {
          this.redeliveries += 1;
          return;
        }
        const event = await this.codec.decode(message.value as Buffer);
        this.offsetsRead.add(at);
        this.records.push({
          topic,
          partition,
          offset: Number(message.offset),
          key: String(message.key),
          headers,
          event,
          receivedAt: Date.now(),
          batch: batchOf(message),
        });
      },
    });
    return this;
  }

  /** Distinct event ids seen so far. */
  eventIds(): Set<string> {
    return new Set(this.records.map((record) => record.headers['event-id']));
  }

  /** Stream versions per key, in the order the partition holds them (duplicates included). */
  versionsByKey(): Map<string, number[]> {
    const byKey = new Map<string, number[]>();
    const ordered = [...this.records].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    for (const record of ordered) {
      const versions = byKey.get(record.key) ?? [];
      versions.push(Number(record.headers['stream-version']));
      byKey.set(record.key, versions);
    }
    return byKey;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/** kafkajs leaves each message its batch's context (undeclared in its types). */
function batchOf(message: object): RecordBatchContext {
  const context = (message as { batchContext?: RecordBatchContext }).batchContext ?? {};
  const { firstOffset, producerId, producerEpoch, firstSequence, inTransaction } = context;
  return { firstOffset, producerId, producerEpoch, firstSequence, inTransaction };
}
