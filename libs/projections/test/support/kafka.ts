import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { kafkaBrokers, waitFor } from '@ledger/testing';
import { EventHeaders } from '@ledger/projections';

export const testKafka = () =>
  new Kafka({
    clientId: `projections-test-${randomUUID().slice(0, 8)}`,
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });

/** A fresh name per test: topics and consumer groups are never shared between tests. */
export const uniqueName = (prefix: string) => `${prefix}.${randomUUID().slice(0, 8)}`;

export async function createTopic(admin: Admin, topic: string, partitions: number): Promise<void> {
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
}

export interface TestEvent {
  streamId: string;
  version: number;
  amount?: number;
  /** Raw value instead of JSON, to make a record that cannot be decoded. */
  raw?: string;
  /** The `event-type` header; default `test.Counted`. */
  type?: string;
}

let globalPosition = 0;

/** Produces events the way the relay does: key = stream id, envelope in headers, JSON payload. */
export async function produceEvents(
  producer: Pick<Producer, 'send'>,
  topic: string,
  events: TestEvent[],
): Promise<void> {
  await producer.send({
    topic,
    acks: -1,
    messages: events.map((event) => ({
      key: event.streamId,
      value: event.raw ?? JSON.stringify({ amount: event.amount ?? event.version }),
      headers: {
        [EventHeaders.eventId]: `${event.streamId}-${event.version}`,
        [EventHeaders.eventType]: event.type ?? 'test.Counted',
        [EventHeaders.schemaVersion]: '1',
        [EventHeaders.streamVersion]: String(event.version),
        [EventHeaders.globalPosition]: String(++globalPosition),
        [EventHeaders.recordedAt]: new Date().toISOString(),
        [EventHeaders.correlationId]: `corr-${event.streamId}`,
      },
    })),
  });
}

/** `count` events numbered from `from` for a stream. */
export const eventsOf = (streamId: string, count: number, from = 1): TestEvent[] =>
  Array.from({ length: count }, (_, index) => ({ streamId, version: from + index }));

/** Reads every record of a topic from the beginning with a throwaway consumer group. */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  expected: number,
): Promise<{ key: string | null; headers: Record<string, string>; value: string | null }[]> {
  const consumer = kafka.consumer({
    groupId: uniqueName('reader'),
    maxWaitTimeInMs: 100,
    readUncommitted: false,
  });
  const records: { key: string | null; headers: Record<string, string>; value: string | null }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
        );
        records.push({
          key: message.key?.toString() ?? null,
          headers,
          value: message.value?.toString() ?? null,
        });
      },
    });
    await waitFor(() => records.length >= expected, { what: `${expected} records on ${topic}` });
    return records;
  } finally {
    await consumer.disconnect();
  }
}
