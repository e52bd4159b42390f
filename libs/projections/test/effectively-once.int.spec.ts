import { Registry } from 'prom-client';
import { CONSUMER_GROUP_COMMAND, kafkaBrokers, kafkaTool, waitFor } from '@ledger/testing';
import { clearCheckpoints, projectionStatus } from '@ledger/projections';
import { counterProjection, readCounters } from './support/counters';
import { counterValue, Harness } from './support/harness';
import { eventsOf, produceEvents, uniqueName } from './support/kafka';

// Given events on a topic, then the counters; redelivering everything (a consumer group reset) must not
// change them, and rebuilding from scratch must reproduce them exactly.

const harness = new Harness();
beforeAll(() => harness.setUp());
afterAll(() => harness.tearDown());

const expected = (count: number) => ({
  events: count,
  total: (count * (count + 1)) / 2,
  versions: Array.from({ length: count }, (_, index) => index + 1),
});

async function checkpoints(name: string): Promise<Record<string, number>> {
  const { rows } = await harness.pool.query<{ stream_id: string; version: string }>(
    'select stream_id, version from projection_checkpoints where projection = $1',
    [name],
  );
  return Object.fromEntries(rows.map((row) => [row.stream_id, Number(row.version)]));
}

async function caughtUp(name: string, topic: string): Promise<boolean> {
  const status = await projectionStatus(harness, name, [topic]);
  return status.partitions.every((partition) => partition.lagEvents === 0);
}

describe('effectively-once projection', () => {
  it('applies batches, checkpoints every stream and reports no lag once caught up', async () => {
    const { topic, name } = await harness.scenario(3, 1);
    await produceEvents(harness.producer, topic, [
      ...eventsOf('s-1', 20),
      ...eventsOf('s-2', 15),
      ...eventsOf('s-3', 5),
    ]);
    const projector = await harness.start({ projection: counterProjection(name, [topic]) });

    await waitFor(async () => (await readCounters(harness.pool, name))['s-1']?.events === 20, {
      what: 's-1 applied',
    });
    await waitFor(() => caughtUp(name, topic), { what: 'offsets committed' });
    expect(await readCounters(harness.pool, name)).toEqual({
      's-1': expected(20),
      's-2': expected(15),
      's-3': expected(5),
    });
    expect(await checkpoints(name)).toEqual({ 's-1': 20, 's-2': 15, 's-3': 5 });

    const status = await projectionStatus(harness, name, [topic]);
    expect(status.parked).toEqual({ retrying: 0, deadLettered: 0, events: 0 });
    expect(status.partitions.reduce((sum, p) => sum + Number(p.highWatermark), 0)).toBe(40);
    for (const partition of status.partitions.filter((p) => p.highWatermark !== '0')) {
      expect(partition).toMatchObject({
        committedOffset: partition.highWatermark,
        lagEvents: 0,
        lagSeconds: 0,
      });
      expect(partition.processedOffset).toBe(String(Number(partition.highWatermark) - 1));
      expect(partition.globalPosition).toBeGreaterThan(0);
    }
    await projector.stop();
  });

  it('reads committed transactions only, and counts the transaction markers that end a partition as read', async () => {
    const { topic, name } = await harness.scenario(1, 1);
    // As the relay writes: each batch in a transaction, so the last offset of the partition is a marker.
    const producer = harness.kafka.producer({
      transactionalId: uniqueName('test-relay'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      for (const [events, outcome] of [
        [eventsOf('t-1', 5), 'commit'],
        [eventsOf('t-2', 3), 'abort'],
        [eventsOf('t-1', 2, 6), 'commit'],
      ] as const) {
        const transaction = await producer.transaction();
        await produceEvents(transaction, topic, [...events]);
        await (outcome === 'commit' ? transaction.commit() : transaction.abort());
      }
    } finally {
      await producer.disconnect();
    }
    const projector = await harness.start({ projection: counterProjection(name, [topic]) });

    await waitFor(async () => (await readCounters(harness.pool, name))['t-1']?.events === 7, {
      what: 't-1 applied',
    });
    await waitFor(() => caughtUp(name, topic), { what: 'no lag once caught up' });
    expect(await readCounters(harness.pool, name)).toEqual({ 't-1': expected(7) });
    const [partition] = (await projectionStatus(harness, name, [topic])).partitions;
    // 5 records, a commit marker, 3 aborted records, an abort marker, 2 records, a commit marker.
    expect(partition).toMatchObject({ highWatermark: '13', processedOffset: '12', lagEvents: 0 });
    await projector.stop();
  });

  it('changes nothing when the group is reset to earliest, by the kafkajs admin or by Kafka’s own tool', async () => {
    const { topic, name } = await harness.scenario(2, 1);
    await produceEvents(harness.producer, topic, [...eventsOf('a', 12), ...eventsOf('b', 8)]);
    const registry = new Registry();
    const projection = counterProjection(name, [topic]);
    const skipped = () => counterValue(registry, 'projection_events_skipped_total', { projection: name });

    let projector = await harness.start({ projection, registry });
    await waitFor(() => caughtUp(name, topic), { what: 'first pass' });
    await projector.stop();
    const before = await readCounters(harness.pool, name);
    expect(before).toEqual({ a: expected(12), b: expected(8) });

    await harness.admin.resetOffsets({ groupId: name, topic, earliest: true });
    projector = await harness.start({ projection, registry });
    await waitFor(async () => (await skipped()) === 20, { what: 'every event redelivered and skipped' });
    await waitFor(() => caughtUp(name, topic), { what: 'offsets committed again' });
    await projector.stop();
    expect(await readCounters(harness.pool, name)).toEqual(before);

    await kafkaTool(CONSUMER_GROUP_COMMAND, [
      ...['--bootstrap-server', kafkaBrokers().join(','), '--group', name, '--topic', topic],
      ...['--reset-offsets', '--to-earliest', '--execute'],
    ]);
    projector = await harness.start({ projection, registry });
    await produceEvents(harness.producer, topic, eventsOf('a', 1, 13));
    await waitFor(async () => (await skipped()) === 40, {
      what: 'every event redelivered again and skipped',
    });
    await waitFor(async () => (await readCounters(harness.pool, name)).a?.events === 13, {
      what: 'the new event',
    });
    await projector.stop();
    expect(await readCounters(harness.pool, name)).toEqual({ a: expected(13), b: expected(8) });
  });

  it('rebuilds an identical read model after truncating it and its checkpoints and resetting the group', async () => {
    const { topic, name } = await harness.scenario(3, 1);
    const streams = ['x', 'y', 'z', 'w'];
    await produceEvents(
      harness.producer,
      topic,
      streams.flatMap((stream, index) => eventsOf(stream, 5 + index * 3)),
    );
    const projection = counterProjection(name, [topic]);
    let projector = await harness.start({ projection, maxBatchSize: 4 });
    await waitFor(() => caughtUp(name, topic), { what: 'first build' });
    await projector.stop();
    const built = await readCounters(harness.pool, name);
    expect(Object.keys(built)).toEqual(['w', 'x', 'y', 'z']);

    const tx = await harness.pool.connect();
    try {
      await tx.query('begin');
      await tx.query('delete from counters where projection = $1', [name]);
      await clearCheckpoints(tx, name);
      await tx.query('commit');
    } finally {
      tx.release();
    }
    await harness.admin.resetOffsets({ groupId: name, topic, earliest: true });
    projector = await harness.start({ projection });
    await waitFor(
      async () => JSON.stringify(await readCounters(harness.pool, name)) === JSON.stringify(built),
      {
        what: 'the rebuilt read model',
      },
    );
    await waitFor(() => caughtUp(name, topic), { what: 'rebuild committed' });
    await projector.stop();
    expect(await readCounters(harness.pool, name)).toEqual(built);
  });
});
