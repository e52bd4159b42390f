import { randomUUID } from 'node:crypto';
import { kafkaBrokers } from '@ledger/testing';
import { Kafka, logLevel, type Admin, type Producer, type Transaction } from 'kafkajs';
import { checkpointOffsets, KafkaGroupCheckpoints, type CommittedCheckpoint } from './kafka-checkpoint';
import { createRelayProducer } from './publisher';

const checkpoint = (globalPosition: number): CommittedCheckpoint => ({
  position: { transactionId: globalPosition, globalPosition },
  lastEventId: `event-${globalPosition}`,
});

describe('KafkaGroupCheckpoints: the checkpoint a pending transaction is committing', () => {
  const kafka = new Kafka({
    clientId: 'checkpoint-spec',
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const id = randomUUID();
  const checkpoints = new KafkaGroupCheckpoints(kafka, {
    groupId: `checkpoint-spec-${id}`,
    topic: `checkpoint-spec-anchor-${id}`,
  });
  let admin: Admin;
  let producer: Producer;
  let pending: Transaction | undefined;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await checkpoints.ensureTopic(admin);
    producer = createRelayProducer(kafka, `checkpoint-spec-${id}`);
    await producer.connect();
    const first = await producer.transaction();
    await first.sendOffsets(checkpointOffsets(checkpoints, checkpoint(10)));
    await first.commit();
  }, 60_000);

  afterAll(async () => {
    if (pending?.isActive()) await pending.abort().catch(() => undefined);
    await producer?.disconnect();
    await admin?.disconnect();
  });

  it('is not read as the value before it: the read waits for the transaction and returns its checkpoint', async () => {
    expect(await checkpoints.load()).toEqual(checkpoint(10));

    pending = await producer.transaction();
    await pending.sendOffsets(checkpointOffsets(checkpoints, checkpoint(20)));

    // The hazard: an ordinary read still answers with the checkpoint before the pending transaction.
    const [unstable] = await admin.fetchOffsets({
      groupId: checkpoints.groupId,
      topics: [checkpoints.topic],
    });
    expect(unstable?.partitions[0]?.offset).toBe('10');
    // A stable read refuses to answer while the transaction is pending.
    await expect(
      admin.fetchOffsets({ groupId: checkpoints.groupId, topics: [checkpoints.topic], requireStable: true }),
    ).rejects.toMatchObject({ type: 'UNSTABLE_OFFSET_COMMIT' });

    let loaded: CommittedCheckpoint | undefined | 'waiting' = 'waiting';
    const loading = checkpoints.load().then((value) => (loaded = value));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(loaded).toBe('waiting');
    await pending.commit();
    await loading;
    expect(loaded).toEqual(checkpoint(20));
  }, 60_000);
});
