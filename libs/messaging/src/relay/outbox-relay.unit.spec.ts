import { randomUUID } from 'node:crypto';
import { InMemoryEventStore } from '@ledger/event-store';
import { waitFor } from '@ledger/testing';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
import { FakeBroker, FakeEncoder, FakeLock } from './spec-fakes';

const CHECKPOINT = 'relay';
const DEPOSITED = 'ledger.accounts.MoneyDeposited';

describe('OutboxRelay', () => {
  let store: InMemoryEventStore;
  let broker: FakeBroker;
  let lock: FakeLock;
  let encoder: FakeEncoder;
  let relay: OutboxRelay;

  const append = async (streamId: string, ids: string[]) => {
    const version = (await store.readStream(streamId)).length;
    await store.appendToStream(
      streamId,
      'account',
      version,
      ids.map((id) => ({ type: DEPOSITED, schemaVersion: 1, data: { id } })),
    );
  };
  const checkpointed = async () => (await store.loadCheckpoint(CHECKPOINT))?.globalPosition ?? 0;
  const published = () => broker.records().map((record) => record.split(':')[1]);
  const batchSizes = () =>
    broker.acknowledged.map((batch) => batch.flatMap(({ messages }) => messages).length);
  const relayWith = (options: Partial<OutboxRelayOptions>) =>
    new OutboxRelay({
      store,
      checkpointName: CHECKPOINT,
      leaderLock: lock,
      createProducer: broker.createProducer,
      kafkaCheckpoints: broker.checkpoints,
      encoder,
      topicFor: (type) => `test.${type}`,
      pollIntervalMs: 20,
      backoff: { initialMs: 1, maxMs: 5, jitter: 'equal' },
      ...options,
    });

  beforeEach(() => {
    store = new InMemoryEventStore();
    broker = new FakeBroker();
    lock = new FakeLock();
    encoder = new FakeEncoder();
    relay = relayWith({ batchSize: 3 });
  });

  afterEach(() => relay.stop());

  it('publishes every event in log order keyed by stream id, each batch in a transaction with its checkpoint', async () => {
    await append('account-a', ['a1', 'a2']);
    await append('account-b', ['b1']);
    await append('account-a', ['a3', 'a4']);
    lock.grant();
    relay.start();

    await waitFor(async () => (await checkpointed()) === 5, { what: 'checkpoint at 5' });
    expect(broker.records()).toEqual([
      'account-a:a1',
      'account-a:a2',
      'account-b:b1',
      'account-a:a3',
      'account-a:a4',
    ]);
    expect(batchSizes()).toEqual([3, 2]);
    expect(broker.acknowledged[0][0].topic).toBe(`test.${DEPOSITED}`);
    expect(broker.committedCheckpoint?.position.globalPosition).toBe(5);
    expect(broker.committedCheckpoint?.lastEventId).toBe((await store.readAll({ after: 4 }))[0].eventId);
  });

  it('after a failed transaction, resumes with a new producer from the checkpoint Kafka committed', async () => {
    await append('account-a', ['a1', 'a2']);
    broker.failNext(new Error('broker down'), new Error('broker down'));
    const release = broker.hold();
    lock.grant();
    relay.start();

    await waitFor(() => broker.attempts === 1, { what: 'first attempt' });
    expect(await checkpointed()).toBe(0);
    release();
    await waitFor(async () => (await checkpointed()) === 2, { what: 'checkpoint at 2' });
    expect(broker.attempts).toBe(3);
    expect(broker.producersCreated).toBe(3);
    expect(published()).toEqual(['a1', 'a2']);
  });

  it('publishes nothing twice when a commit succeeded on the broker but the relay saw an error', async () => {
    await append('account-a', ['a1', 'a2', 'a3']);
    await append('account-b', ['b1']);
    broker.failCommitAfterWriting();
    lock.grant();
    relay.start();

    await waitFor(async () => (await checkpointed()) === 4, { what: 'checkpoint at 4' });
    await append('account-b', ['b2']);
    await waitFor(async () => (await checkpointed()) === 5, { what: 'checkpoint at 5' });
    expect(broker.producersCreated).toBe(2);
    expect(published()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
  });

  it('resumes from the checkpoint on Kafka when the Postgres copy is behind it', async () => {
    await append('account-a', ['a1', 'a2', 'a3']);
    const [, , third] = await store.readAll();
    broker.committedCheckpoint = {
      position: { transactionId: third.transactionId, globalPosition: third.globalPosition },
      lastEventId: third.eventId,
    };
    await store.saveCheckpoint(CHECKPOINT, { transactionId: 1, globalPosition: 1 });
    await append('account-a', ['a4']);
    lock.grant();
    relay.start();

    await waitFor(async () => (await checkpointed()) === 4, { what: 'checkpoint at 4' });
    expect(published()).toEqual(['a4']);
  });

  it('ignores a checkpoint on Kafka that names an event this store does not have', async () => {
    await append('account-a', ['a1', 'a2']);
    broker.committedCheckpoint = {
      position: { transactionId: 1, globalPosition: 2 },
      lastEventId: randomUUID(),
    };
    lock.grant();
    relay.start();

    await waitFor(async () => (await checkpointed()) === 2, { what: 'checkpoint at 2' });
    expect(published()).toEqual(['a1', 'a2']);
  });

  it('gives up leadership when a newer producer with its transactional id fenced it, then competes again', async () => {
    // With lag sampling wired, as in the app: the sampler must end with the leadership.
    relay = relayWith({
      rejoinDelayMs: 10,
      lagProbe: { sample: async () => ({ events: 0, seconds: 0 }), close: async () => undefined },
      lagSampleIntervalMs: 5,
      metrics: {
        published: { inc: () => undefined },
        lagEvents: { set: () => undefined },
        lagSeconds: { set: () => undefined },
        isLeader: { set: () => undefined },
      },
    });
    await append('account-a', ['a1']);
    const release = broker.hold();
    const leadership = lock.grant();
    relay.start();
    await waitFor(() => broker.attempts === 1, { what: 'send in flight' });

    // A newer leader initialises its producer while this one's transaction is on the wire.
    const newer = broker.createProducer();
    await (await newer.transaction()).abort();
    release();

    await waitFor(() => leadership.released, { what: 'lock released' });
    expect(published()).toEqual([]);
    expect(await checkpointed()).toBe(0);

    lock.grant();
    await waitFor(async () => (await checkpointed()) === 1, { what: 'leading again, checkpoint at 1' });
    expect(published()).toEqual(['a1']);
  });

  it('encodes the next batch while one is on the wire, yet sends it only after that one is acknowledged', async () => {
    await append('account-a', ['a1', 'a2', 'a3']);
    await append('account-b', ['b1', 'b2', 'b3']);
    const release = broker.hold();
    lock.grant();
    relay.start();

    await waitFor(() => broker.attempts === 1 && encoder.encoded === 6, { what: 'second batch encoded' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(broker.attempts).toBe(1);
    expect(await checkpointed()).toBe(0);

    release();
    await waitFor(async () => (await checkpointed()) === 6, { what: 'checkpoint at 6' });
    expect(published()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'b3']);
    expect(broker.acknowledged).toHaveLength(2);
  });

  it('merges what the tail reads during a transaction into the next transaction', async () => {
    relay = relayWith({ batchSize: 10 });
    await append('account-a', ['a1']);
    const release = broker.hold();
    lock.grant();
    relay.start();
    await waitFor(() => broker.attempts === 1, { what: 'first transaction on the wire' });

    await append('account-b', ['b1']);
    await waitFor(() => encoder.encoded === 2, { what: 'b1 read' });
    await append('account-c', ['c1']);
    await waitFor(() => encoder.encoded === 3, { what: 'c1 read' });
    release();

    await waitFor(async () => (await checkpointed()) === 3, { what: 'checkpoint at 3' });
    expect(batchSizes()).toEqual([1, 2]);
    expect(published()).toEqual(['a1', 'b1', 'c1']);
  });

  it('lets a small batch linger for more events, but sends a full one at once', async () => {
    relay = relayWith({ batchSize: 3, lingerMs: 300 });
    lock.grant();
    relay.start();
    await waitFor(() => relay.isLeader, { what: 'leading' });

    await append('account-a', ['a1']);
    await waitFor(() => encoder.encoded === 1, { what: 'a1 read' });
    await append('account-b', ['b1']);
    await waitFor(async () => (await checkpointed()) === 2, { what: 'checkpoint at 2' });
    expect(batchSizes()).toEqual([2]);

    const full = Date.now();
    await append('account-c', ['c1', 'c2', 'c3']);
    await waitFor(async () => (await checkpointed()) === 5, { what: 'checkpoint at 5' });
    expect(Date.now() - full).toBeLessThan(250);
    expect(batchSizes()).toEqual([2, 3]);
  });

  it('does not skip an event it cannot encode: nothing after it is published until it encodes', async () => {
    await append('account-a', ['a1']);
    await append('account-b', ['b1', 'b2']);
    encoder.refused.add('b1');
    lock.grant();
    relay.start();

    await waitFor(() => encoder.refusals >= 3, { what: 'three attempts to encode b1' });
    expect(published()).toEqual([]);
    expect(await checkpointed()).toBe(0);

    encoder.refused.clear();
    await waitFor(async () => (await checkpointed()) === 3, { what: 'checkpoint at 3' });
    expect(published()).toEqual(['a1', 'b1', 'b2']);
  });

  it('stops publishing as soon as its lock is lost, without moving the Postgres checkpoint', async () => {
    await append('account-a', ['a1']);
    const release = broker.hold();
    const leadership = lock.grant();
    relay.start();
    await waitFor(() => broker.attempts === 1, { what: 'send in flight' });

    leadership.lose();
    release();
    await waitFor(() => leadership.released, { what: 'lock released' });
    await append('account-a', ['a2']);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(relay.isLeader).toBe(false);
    expect(await checkpointed()).toBe(0);
    expect(broker.attempts).toBe(1);
  });

  it('after losing its lock, waits before competing again so that a standby takes over', async () => {
    relay = new OutboxRelay({
      store,
      checkpointName: CHECKPOINT,
      leaderLock: lock,
      createProducer: broker.createProducer,
      kafkaCheckpoints: broker.checkpoints,
      encoder,
      rejoinDelayMs: 300,
    });
    lock.grant();
    relay.start();
    await waitFor(() => relay.isLeader, { what: 'leading' });

    const lost = Date.now();
    lock.grants[0].lose();
    lock.grant();
    await waitFor(() => relay.isLeader && lock.grants[0].released, { what: 'leading again' });

    expect(Date.now() - lost).toBeGreaterThanOrEqual(290);
  });

  it('waits as a standby and resumes from the checkpoint the previous leader wrote', async () => {
    await append('account-a', ['a1', 'a2']);
    await store.saveCheckpoint(CHECKPOINT, { transactionId: 1, globalPosition: 2 });
    await append('account-a', ['a3']);
    relay.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(broker.attempts).toBe(0);

    lock.grant();
    await waitFor(async () => (await checkpointed()) === 3, { what: 'checkpoint at 3' });
    expect(published()).toEqual(['a3']);
  });

  it('on stop, finishes the batch in flight, checkpoints it and releases the lock', async () => {
    await append('account-a', ['a1']);
    const release = broker.hold();
    const leadership = lock.grant();
    relay.start();
    await waitFor(() => broker.attempts === 1, { what: 'send in flight' });

    const stopped = relay.stop();
    release();
    await stopped;

    expect(await checkpointed()).toBe(1);
    expect(leadership.released).toBe(true);
  });
});
