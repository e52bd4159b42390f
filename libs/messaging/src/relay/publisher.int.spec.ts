import { randomUUID } from 'node:crypto';
import { kafkaBrokers, waitFor } from '@ledger/testing';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { createRelayProducer, TransactionalPublisher } from './publisher';

describe('TransactionalPublisher.open: a new session closes every partition it may write to', () => {
  const kafka = new Kafka({
    clientId: 'publisher-spec',
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const id = randomUUID();
  const topics = [`publisher-spec-a-${id}`, `publisher-spec-b-${id}`];
  let admin: Admin;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })),
      waitForLeaders: true,
    });
  }, 60_000);

  afterAll(async () => {
    await admin?.deleteTopics({ topics }).catch(() => undefined);
    await admin?.disconnect();
  });

  const logEnds = async () =>
    (await Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic)))).flatMap((offsets, index) =>
      offsets.map(({ partition, high }) => `${topics[index]}/${partition}@${high}`).sort(),
    );

  it('writes an abort marker to each partition before any record, so nothing of an earlier epoch stays open', async () => {
    const before = await logEnds();
    const publisher = new TransactionalPublisher(() => createRelayProducer(kafka, `publisher-spec-${id}`), {
      groupId: `publisher-spec-${id}`,
      topic: `publisher-spec-anchor-${id}`,
    });
    try {
      await publisher.open(topics.map((topic) => ({ topic, partitions: [0, 1, 2] })));
    } finally {
      await publisher.close();
    }
    // A marker takes an offset: every partition moves by one, though nothing was sent. The coordinator
    // writes the markers after it answered the abort; the next transaction's AddPartitionsToTxn waits
    // for them (CONCURRENT_TRANSACTIONS), so a session never writes ahead of them.
    const closed = topics.flatMap((topic) => [0, 1, 2].map((p) => `${topic}/${p}@1`));
    expect(before).toEqual(topics.flatMap((topic) => [0, 1, 2].map((p) => `${topic}/${p}@0`)));
    await waitFor(async () => JSON.stringify(await logEnds()) === JSON.stringify(closed), {
      what: 'an abort marker on every partition',
      timeoutMs: 20_000,
    });
    expect(await logEnds()).toEqual(closed);
  }, 60_000);
});
