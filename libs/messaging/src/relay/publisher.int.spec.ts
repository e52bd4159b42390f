import { randomUUID } from 'node:crypto';
import { kafkaBrokers, waitFor } from '@ledger/testing';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { createRelayProducer, TransactionalPublisher } from './publisher';

describe("TransactionalPublisher: a session closes its first batch's partitions before writing to them", () => {
  const kafka = new Kafka({
    clientId: 'publisher-spec',
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const id = randomUUID();
  const topics = [`publisher-spec-a-${id}`, `publisher-spec-b-${id}`];
  const checkpoints = { groupId: `publisher-spec-${id}`, topic: `publisher-spec-anchor-${id}` };
  let admin: Admin;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [...topics, checkpoints.topic].map((topic) => ({
        topic,
        numPartitions: 3,
        replicationFactor: 1,
      })),
      waitForLeaders: true,
    });
  }, 60_000);

  afterAll(async () => {
    await admin?.deleteTopics({ topics: [...topics, checkpoints.topic] }).catch(() => undefined);
    await admin?.disconnect();
  });

  /** Each partition's log end, as `topic/partition@end`, and how many records it holds. */
  async function partitionsOf(topic: string) {
    return (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({
      partition,
      end: Number(high),
    }));
  }

  it('puts an abort marker only where the first batch goes, right before its records; later batches get none', async () => {
    const publisher = new TransactionalPublisher(
      () => createRelayProducer(kafka, `publisher-spec-${id}`),
      checkpoints,
      undefined,
      async (names) => new Map(names.map((name) => [name, 3])),
    );
    // One key per topic: each batch goes to exactly one partition of each topic.
    const batch = (n: number) =>
      topics.map((topic) => ({
        topic,
        messages: Array.from({ length: n }, () => ({ key: 'one-stream', value: 'v' })),
      }));
    const checkpoint = (globalPosition: number) => ({
      position: { transactionId: globalPosition, globalPosition },
      lastEventId: `event-${globalPosition}`,
    });
    try {
      await publisher.open();
      await publisher.publish(batch(2), checkpoint(2));
      await publisher.publish(batch(3), checkpoint(5));
    } finally {
      await publisher.close();
    }
    for (const topic of topics) {
      // Markers are written after the coordinator answered; the next transaction waited for them.
      await waitFor(
        async () => (await partitionsOf(topic)).reduce((sum, { end }) => sum + end, 0) === 1 + 2 + 1 + 3 + 1,
        { what: `the markers of ${topic}`, timeoutMs: 20_000 },
      );
      const ends = (await partitionsOf(topic)).map(({ end }) => end).sort();
      // The partition of the key: abort marker, 2 records, commit marker, 3 records, commit marker; the
      // others untouched (no marker left at the end of an idle partition).
      expect(ends).toEqual([0, 0, 8]);
    }
  }, 60_000);
});
