import { DatabaseError } from 'pg';
import { Registry } from 'prom-client';
import { waitFor } from '@ledger/testing';
import { decodeJsonRecord, listParkedStreams, projectionStatus, TransientError } from '@ledger/projections';
import { counterProjection, readCounters } from './support/counters';
import { counterValue, Harness } from './support/harness';
import { eventsOf, produceEvents } from './support/kafka';

// Given failures of the database or the registry, then the partition blocks and retries: nothing is skipped,
// nothing is parked, and every event is applied exactly once when the failure passes.

const harness = new Harness();
beforeAll(() => harness.setUp());
afterAll(() => harness.tearDown());

const connectionFailure = () =>
  Object.assign(new DatabaseError('connection failure', 0, 'error'), { code: '08006' });
const oneToTen = Array.from({ length: 10 }, (_, index) => index + 1);

async function committedOffsets(group: string, topic: string): Promise<string[]> {
  const [offsets] = await harness.admin.fetchOffsets({ groupId: group, topics: [topic] });
  return offsets!.partitions.map((partition) => partition.offset);
}

describe('transient failures', () => {
  it('blocks the partition while the database fails, commits no offset, and applies everything once after', async () => {
    const { topic, name } = await harness.scenario(1, 1);
    let databaseDown = true;
    let calls = 0;
    const projection = counterProjection(name, [topic], () => {
      calls++;
      if (databaseDown) throw connectionFailure();
    });
    const registry = new Registry();
    const blocked = () => counterValue(registry, 'projection_blocked_retries_total', { projection: name });
    let projector = await harness.start({ projection, registry });
    await produceEvents(harness.producer, topic, [...eventsOf('p', 10), ...eventsOf('q', 10)]);

    await waitFor(async () => (await blocked()) >= 3, { what: 'three blocked retries' });
    expect(await readCounters(harness.pool, name)).toEqual({});
    expect(await listParkedStreams(harness.pool, name)).toEqual([]);
    await projector.stop();
    expect(await committedOffsets(name, topic)).toEqual(['-1']);

    databaseDown = false;
    projector = await harness.start({ projection, registry });
    await waitFor(
      async () => (await projectionStatus(harness, name, [topic])).partitions[0]?.lagEvents === 0,
      {
        what: 'caught up',
      },
    );
    expect(await readCounters(harness.pool, name)).toEqual({
      p: { events: 10, total: 55, versions: oneToTen },
      q: { events: 10, total: 55, versions: oneToTen },
    });
    expect(calls).toBeGreaterThan(3);
    expect(await listParkedStreams(harness.pool, name)).toEqual([]);
  });

  it('survives its database connection being terminated in the middle of a transaction', async () => {
    const { topic, name } = await harness.scenario(2, 1);
    let terminations = 2;
    const projection = counterProjection(name, [topic], async (tx) => {
      if (terminations-- > 0) await tx.query('select pg_terminate_backend(pg_backend_pid())');
    });
    await harness.start({ projection });
    await produceEvents(harness.producer, topic, [...eventsOf('r', 10), ...eventsOf('s', 10)]);

    await waitFor(
      async () => (await projectionStatus(harness, name, [topic])).partitions.every((p) => p.lagEvents === 0),
      {
        what: 'caught up',
      },
    );
    expect(terminations).toBeLessThan(0);
    expect(await readCounters(harness.pool, name)).toEqual({
      r: { events: 10, total: 55, versions: oneToTen },
      s: { events: 10, total: 55, versions: oneToTen },
    });
    expect(await listParkedStreams(harness.pool, name)).toEqual([]);
  });

  it('waits for an unreachable registry instead of parking the records it cannot decode yet', async () => {
    const { topic, name } = await harness.scenario(1, 1);
    let outages = 3;
    await harness.start({
      projection: counterProjection(name, [topic]),
      decode: async (record) => {
        if (outages-- > 0) throw new TransientError('registry unreachable');
        return decodeJsonRecord(record) as never;
      },
    });
    await produceEvents(harness.producer, topic, eventsOf('t', 10));
    await waitFor(async () => (await readCounters(harness.pool, name)).t?.events === 10, {
      what: 't applied',
    });
    expect(await readCounters(harness.pool, name)).toEqual({
      t: { events: 10, total: 55, versions: oneToTen },
    });
    expect(await listParkedStreams(harness.pool, name)).toEqual([]);
  });
});
