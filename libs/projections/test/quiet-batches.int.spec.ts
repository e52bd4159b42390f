import type { PoolClient } from 'pg';
import { waitFor } from '@ledger/testing';
import { projectionPositions, projectionStatus } from '@ledger/projections';
import { listParkedStreams } from '@ledger/projections';
import { counterProjection, POISON_WRITE_AMOUNT, readCounters } from './support/counters';
import { Harness } from './support/harness';
import { eventsOf, produceEvents } from './support/kafka';

// Given a consumer at a low rate, where nearly every Kafka batch holds one record, then the per-batch work
// is cut where the guarantees do not need it: a chunk of ignored records opens no transaction (its
// position is written later, in bulk), and offsets are committed at most once per interval (everything
// resolved is committed when the projector stops), while every event still applies exactly once.

const harness = new Harness();
beforeAll(() => harness.setUp());
afterAll(() => harness.tearDown());

/** Counts the transactions begun, and the statements run, on the harness's pool from now on. */
function countTransactions(): { readonly begun: number; readonly statements: string[] } {
  const counter = { begun: 0, statements: [] as string[] };
  const wrapped = new WeakSet<PoolClient>();
  harness.pool.on('acquire', (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && /^\s*begin\b/i.test(args[0])) counter.begun += 1;
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
      if (text !== undefined) counter.statements.push(text.trim().split(/\s+/).slice(0, 3).join(' '));
      return query(...args);
    };
  });
  return counter;
}

async function committedOffset(group: string, topic: string): Promise<number> {
  const [offsets] = await harness.admin.fetchOffsets({ groupId: group, topics: [topic] });
  return Number(offsets!.partitions[0]!.offset);
}

const noise = (streamId: string, version: number) => ({ streamId, version, type: 'test.Noise' });

describe('batches at a low rate', () => {
  it('opens no transaction for records it ignores, yet records their position and commits their offsets', async () => {
    const { topic, name } = await harness.scenario(1, 1);
    const transactions = countTransactions();
    await harness.start({
      projection: { ...counterProjection(name, [topic]), eventTypes: new Set(['test.Counted']) },
      offsetCommitIntervalMs: 100,
    });
    // One send each: at this pace every record is a batch of its own, as at a low rate.
    for (let version = 1; version <= 10; version++)
      await produceEvents(harness.producer, topic, [noise('n', version)]);

    await waitFor(
      async () => (await projectionStatus(harness, name, [topic])).partitions[0]?.lagEvents === 0,
      { what: 'ignored records processed, positioned and committed' },
    );
    expect((await projectionPositions(harness.pool, name, [topic]))[0]?.offset).toBe(9);
    expect(transactions.begun).toBe(0);

    await produceEvents(harness.producer, topic, eventsOf('c', 2));
    await waitFor(async () => (await readCounters(harness.pool, name))['c']?.events === 2, {
      what: 'counted events applied',
    });
    expect(transactions.begun).toBeGreaterThan(0);
  });

  it('commits offsets at most once per interval and all of them when stopping, applying each event once', async () => {
    const { topic, name } = await harness.scenario(1, 1);
    const projection = counterProjection(name, [topic]);
    let projector = await harness.start({ projection, offsetCommitIntervalMs: 60_000 });
    await produceEvents(harness.producer, topic, eventsOf('a', 1));
    await waitFor(async () => (await committedOffset(name, topic)) === 1, {
      what: 'the first commit, at once',
    });
    for (let version = 2; version <= 5; version++)
      await produceEvents(harness.producer, topic, eventsOf('a', 1, version));
    await waitFor(async () => (await readCounters(harness.pool, name))['a']?.events === 5, {
      what: 'all five applied',
    });
    // Applied in Postgres, but the interval has not passed: Kafka still holds the first commit.
    expect(await committedOffset(name, topic)).toBe(1);

    await projector.stop();
    expect(await committedOffset(name, topic)).toBe(5);

    projector = await harness.start({ projection, offsetCommitIntervalMs: 60_000 });
    await produceEvents(harness.producer, topic, eventsOf('a', 1, 6));
    await waitFor(async () => (await readCounters(harness.pool, name))['a']?.events === 6, {
      what: 'the sixth applied after the restart',
    });
    expect((await readCounters(harness.pool, name))['a']).toEqual({
      events: 6,
      total: 21,
      versions: [1, 2, 3, 4, 5, 6],
    });
  });

  it('applies a chunk of one event in four statements: begin, stream states, writes with checkpoints, commit', async () => {
    const { topic, name } = await harness.scenario(1, 1);
    await harness.start({ projection: counterProjection(name, [topic]), offsetCommitIntervalMs: 60_000 });
    await produceEvents(harness.producer, topic, eventsOf('w', 1));
    await waitFor(async () => (await readCounters(harness.pool, name))['w']?.events === 1, {
      what: 'the warm-up event applied',
    });
    const statements = countTransactions();
    await produceEvents(harness.producer, topic, eventsOf('s', 1));
    await waitFor(async () => (await readCounters(harness.pool, name))['s']?.events === 1, {
      what: 'the single event applied',
    });
    // Before: begin, stream states, savepoint, the projection's write, release, checkpoints, commit. (The
    // test's own reads of the counters go through the same pool.)
    const projector = statements.statements.filter((text) => !text.startsWith('select stream_id, events'));
    expect(projector).toEqual(['begin', 'with parked as', 'with w0 as', 'commit']);
  });

  it('isolates a poison event whose returned write fails, applying the rest of its batch', async () => {
    const { topic, name } = await harness.scenario(1, 1);
    await harness.start({ projection: counterProjection(name, [topic]) });
    await produceEvents(harness.producer, topic, [
      { streamId: 'P', version: 1 },
      { streamId: 'Q', version: 1 },
      { streamId: 'P', version: 2, amount: POISON_WRITE_AMOUNT },
      { streamId: 'Q', version: 2 },
    ]);
    await waitFor(async () => (await readCounters(harness.pool, name))['Q']?.events === 2, {
      what: 'the healthy stream applied',
    });
    const [parked] = await waitFor(
      async () => {
        const streams = await listParkedStreams(harness.pool, name);
        return streams.length > 0 && streams;
      },
      { what: 'the poisoned stream parked' },
    );
    expect(parked).toMatchObject({ streamId: 'P' });
    expect(await readCounters(harness.pool, name)).toMatchObject({
      P: { events: 1, versions: [1] },
      Q: { events: 2, versions: [1, 2] },
    });
  });
});
