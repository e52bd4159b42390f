import { setTimeout as sleep } from 'node:timers/promises';
import { noMetrics, projectionPositions, type ProjectionMetrics } from '@ledger/projections';
import { accountsProjection } from '@ledger/read-models';
import { waitFor } from '@ledger/testing';
import {
  KafkaScenario,
  ReadModelDatabase,
  readStatement,
  readSummaries,
  simulateLedger,
} from '../../../libs/read-models/src/spec-support';

// Given two instances of the accounts projector in one consumer group while events keep arriving, one
// joining and later the other leaving (two rebalances mid-stream), then the read model is the fold of the
// events applied once each: no event lost, none applied twice, nothing parked.

const kafka = new KafkaScenario();
const projected = new ReadModelDatabase();
const expected = new ReadModelDatabase();
beforeAll(() => Promise.all([kafka.setUp(6), projected.setUp(), expected.setUp()]));
afterAll(async () => {
  await kafka.tearDown();
  await Promise.all([projected.tearDown(), expected.tearDown()]);
});

/** Counts the events one instance applied (a redelivered event skipped by its checkpoint does not count). */
function countingMetrics(): ProjectionMetrics & {
  applied: ProjectionMetrics['applied'];
  total: () => number;
} {
  let total = 0;
  return {
    ...noMetrics,
    applied: (_projection, _topic, _partition, count) => void (total += count),
    total: () => total,
  };
}

describe('accounts projector scaled out', () => {
  it('applies every event exactly once across instances joining and leaving the group under load', async () => {
    const { accountEvents } = simulateLedger({ accounts: 200, accountEvents: 6_000, seed: 11 });
    await expected.apply(accountsProjection(), accountEvents);
    const slices = 12;
    const sliceSize = Math.ceil(accountEvents.length / slices);
    const first = countingMetrics();
    const second = countingMetrics();

    const one = await kafka.start(accountsProjection, projected.pool, { metrics: first, maxBatchSize: 50 });
    let two: Awaited<ReturnType<typeof kafka.start>> | undefined;
    for (let slice = 0; slice < slices; slice++) {
      await kafka.publish(accountEvents.slice(slice * sliceSize, (slice + 1) * sliceSize));
      // A third in: the second instance joins (rebalance); two thirds in: the first one leaves (rebalance).
      if (slice === 3) {
        two = await kafka.start(accountsProjection, projected.pool, { metrics: second, maxBatchSize: 50 });
      }
      if (slice === 7) {
        await waitFor(async () => second.total() > 0, { what: 'the second instance applying events' });
        await one.stop();
      }
      await sleep(200);
    }
    expect(two).toBeDefined();

    const ends = await kafka.endOffsets();
    await waitFor(
      async () => {
        const positions = await projectionPositions(projected.pool, kafka.name, [kafka.topic]);
        const next = new Map(positions.map((row) => [row.partition, row.offset + 1]));
        return [...ends].every(([partition, end]) => (next.get(partition) ?? 0) >= end);
      },
      { what: 'every partition processed to its end', timeoutMs: 40_000 },
    );

    expect(first.total()).toBeGreaterThan(0);
    expect(second.total()).toBeGreaterThan(0);
    expect(first.total() + second.total()).toBe(accountEvents.length);
    expect(await readSummaries(projected)).toEqual(await readSummaries(expected));
    expect(await readStatement(projected)).toEqual(await readStatement(expected));
    const parked = await projected.rows<{ count: string }>(
      `select count(*) from projection_parked_events where projection = '${kafka.name}'`,
    );
    expect(Number(parked[0]!.count)).toBe(0);
  });
});
