import { randomBytes } from 'node:crypto';
import { kafkaBrokers } from '@ledger/testing';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { createKafka } from './create-kafka';

// kafkajs 2.2.4 asked the cluster for the transaction coordinator (FindCoordinator) before every
// transactional request, and for the group coordinator before every offset commit: five or more round
// trips per transaction that the brokers answer for nothing. patches/kafkajs+2.2.4.patch keeps each
// coordinator until a request to it fails; this counts the lookups over ten transactions like the relay's.
describe('the kafkajs transactional producer (patched)', () => {
  const prefix = `coordinator-test.${randomBytes(4).toString('hex')}`;
  const topic = `${prefix}.events`;
  const anchor = `${prefix}.anchor`;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer | undefined;

  beforeAll(async () => {
    kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'coordinator-test' });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic, numPartitions: 3 },
        { topic: anchor, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin.deleteTopics({ topics: [topic, anchor] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('looks each coordinator up once, not before every request', async () => {
    producer = kafka.producer({
      transactionalId: `${prefix}.tx`,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    const requests: string[] = [];
    producer.on(producer.events.REQUEST, ({ payload }) => requests.push(payload.apiName));
    await producer.connect();

    // The first transaction may meet coordinators that are still loading on a fresh broker (then a new
    // lookup is right); count from the second one on.
    for (let round = 0; round < 11; round++) {
      if (round === 1) requests.length = 0;
      const transaction = await producer.transaction();
      await transaction.sendBatch({
        acks: -1,
        topicMessages: [
          { topic, messages: [0, 1, 2].map((partition) => ({ partition, value: `r${round}p${partition}` })) },
        ],
      });
      await transaction.sendOffsets({
        consumerGroupId: `${prefix}.tx`,
        topics: [{ topic: anchor, partitions: [{ partition: 0, offset: String(round) }] }],
      });
      await transaction.commit();
    }

    const count = (name: string) => requests.filter((apiName) => apiName === name).length;
    expect(count('EndTxn')).toBe(10);
    // Both coordinators were found in the first transaction; a retry after CONCURRENT_TRANSACTIONS keeps
    // the coordinator it has. Without the patch: four or more lookups per transaction.
    expect(count('GroupCoordinator')).toBe(0);
  });
});
