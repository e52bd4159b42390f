import { Registry } from 'prom-client';
import { waitFor } from '@ledger/testing';
import {
  clearCheckpoints,
  deadLetterTopic,
  discard,
  EventHeaders,
  FailureHeaders,
  listDeadLetters,
  listParkedStreams,
  projectionStatus,
  redrive,
  retryTopic,
} from '@ledger/projections';
import { counterProjection, readCounters } from './support/counters';
import { counterValue, Harness } from './support/harness';
import { eventsOf, produceEvents, readTopic } from './support/kafka';

// Given a poison event, then its stream waits (through the retry topics, into the dead-letter topic) while
// other streams flow on, and an operator's redrive or discard lets the stream continue in order.

const harness = new Harness();
beforeAll(() => harness.setUp());
afterAll(() => harness.tearDown());

const versionsOf = async (name: string, stream: string) =>
  (await readCounters(harness.pool, name))[stream]?.versions;

describe('poison events', () => {
  it('parks a poison event’s stream through the retry topics into the DLQ, and redrive applies it in order', async () => {
    const { topic, name } = await harness.scenario(1, 2);
    const poisoned = new Set(['A-2']);
    const projection = counterProjection(name, [topic], (_, events) => {
      const bad = events.find((event) => poisoned.has(event.eventId));
      if (bad) throw new RangeError(`cannot count ${bad.eventId}`);
    });
    const registry = new Registry();
    const retry = { levels: 2, delaysMs: [30, 60], attemptsPerEvent: 2 };
    let projector = await harness.start({ projection, retry, registry });

    const interleaved = [1, 2, 3].flatMap((version) => [
      { streamId: 'A', version },
      { streamId: 'B', version },
    ]);
    await produceEvents(harness.producer, topic, interleaved);
    const [dead] = await waitFor(
      async () => (await listDeadLetters(harness.pool, name)).at(0) && listDeadLetters(harness.pool, name),
      {
        what: 'a dead letter',
      },
    );
    expect(await readCounters(harness.pool, name)).toMatchObject({
      A: { versions: [1] },
      B: { versions: [1, 2, 3] },
    });
    expect(dead).toMatchObject({
      streamId: 'A',
      streamVersion: 2,
      eventId: 'A-2',
      eventType: 'test.Counted',
      source: { topic, partition: 0, offset: '2' },
      attempts: 6,
      errorClass: 'RangeError',
      errorMessage: 'cannot count A-2',
      status: 'dead',
      parkedBehind: 1,
    });

    for (const level of [1, 2]) {
      const [record] = await readTopic(harness.kafka, retryTopic(name, level), 1);
      expect(record).toMatchObject({
        key: 'A',
        headers: { [EventHeaders.eventId]: 'A-2', [FailureHeaders.retryLevel]: String(level) },
      });
    }
    const [letter] = await readTopic(harness.kafka, deadLetterTopic(name), 1);
    expect(letter).toMatchObject({
      key: 'A',
      value: JSON.stringify({ amount: 2 }),
      headers: {
        [EventHeaders.eventId]: 'A-2',
        [EventHeaders.streamVersion]: '2',
        [EventHeaders.correlationId]: 'corr-A',
        [FailureHeaders.sourceTopic]: topic,
        [FailureHeaders.sourcePartition]: '0',
        [FailureHeaders.sourceOffset]: '2',
        [FailureHeaders.attempts]: '6',
        [FailureHeaders.errorClass]: 'RangeError',
        [FailureHeaders.errorMessage]: 'cannot count A-2',
        [FailureHeaders.firstFailureAt]: dead!.firstFailedAt.toISOString(),
      },
    });
    expect(await counterValue(registry, 'projection_retries_total', { projection: name })).toBe(2);
    expect(await counterValue(registry, 'projection_dead_letters_total', { projection: name })).toBe(1);

    // Later events of A wait behind the dead letter, B flows on; a redelivery of everything parks nothing twice.
    await produceEvents(harness.producer, topic, [
      { streamId: 'A', version: 4 },
      { streamId: 'B', version: 4 },
    ]);
    await waitFor(async () => (await versionsOf(name, 'B'))?.length === 4, { what: 'B-4' });
    await projector.stop();
    await harness.admin.resetOffsets({ groupId: name, topic, earliest: true });
    projector = await harness.start({ projection, retry, registry });
    await waitFor(
      async () => (await projectionStatus(harness, name, [topic])).partitions[0]?.lagEvents === 0,
      {
        what: 'the redelivery',
      },
    );
    const [parked] = await listParkedStreams(harness.pool, name);
    expect(parked).toMatchObject({
      streamId: 'A',
      stage: 'dead-letter',
      events: 3,
      head: { offset: '2', eventId: 'A-2' },
    });
    expect(await versionsOf(name, 'A')).toEqual([1]);

    poisoned.clear();
    expect(await redrive({ pool: harness.pool, producer: harness.producer }, name, { key: 'A' })).toEqual({
      streams: ['A'],
    });
    await waitFor(async () => (await versionsOf(name, 'A'))?.length === 4, { what: 'A redriven' });
    expect(await readCounters(harness.pool, name)).toMatchObject({
      A: { versions: [1, 2, 3, 4] },
      B: { versions: [1, 2, 3, 4] },
    });
    await waitFor(async () => (await listParkedStreams(harness.pool, name)).length === 0, {
      what: 'A released',
    });
    expect(await listDeadLetters(harness.pool, name, { status: 'all' })).toMatchObject([
      { eventId: 'A-2', status: 'redriven' },
    ]);

    await produceEvents(harness.producer, topic, [{ streamId: 'A', version: 5 }]);
    await waitFor(async () => (await versionsOf(name, 'A'))?.length === 5, { what: 'A flowing again' });
  });

  it('dead-letters an undecodable record and, when it is discarded, applies what waited behind it', async () => {
    const { topic, name } = await harness.scenario(1, 1);
    await harness.start({
      projection: counterProjection(name, [topic]),
      retry: { levels: 1, delaysMs: [10], attemptsPerEvent: 1 },
    });
    await produceEvents(harness.producer, topic, [
      ...eventsOf('C', 1),
      { streamId: 'C', version: 2, raw: '{not json' },
      { streamId: 'C', version: 3 },
      ...eventsOf('D', 2),
    ]);
    const [dead] = await waitFor(
      async () => (await listDeadLetters(harness.pool, name)).at(0) && listDeadLetters(harness.pool, name),
      {
        what: 'a dead letter',
      },
    );
    expect(dead).toMatchObject({
      streamId: 'C',
      streamVersion: 2,
      errorClass: 'SyntaxError',
      attempts: 2,
      parkedBehind: 1,
    });
    expect(await readCounters(harness.pool, name)).toMatchObject({
      C: { versions: [1] },
      D: { versions: [1, 2] },
    });

    const result = await discard({ pool: harness.pool, producer: harness.producer }, name, { all: true });
    expect(result).toEqual({ streams: ['C'], released: [] });
    await waitFor(async () => (await versionsOf(name, 'C'))?.length === 2, { what: 'C-3 applied' });
    expect(await versionsOf(name, 'C')).toEqual([1, 3]);
    await waitFor(async () => (await listParkedStreams(harness.pool, name)).length === 0, {
      what: 'C released',
    });
    expect(await listDeadLetters(harness.pool, name, { status: 'all' })).toMatchObject([
      { streamId: 'C', status: 'discarded' },
    ]);
  });

  it('keeps a parked stream in order through a rebuild of the read model', async () => {
    const { topic, name } = await harness.scenario(1, 0);
    let fixed = false;
    const projection = counterProjection(name, [topic], (_, events) => {
      if (!fixed && events.some((event) => event.eventId === 'R-2')) throw new Error('not yet');
    });
    const retry = { levels: 0, delaysMs: [], attemptsPerEvent: 1 };
    let projector = await harness.start({ projection, retry });
    await produceEvents(harness.producer, topic, eventsOf('R', 3));
    await waitFor(async () => (await listDeadLetters(harness.pool, name)).length === 1, { what: 'R-2 dead' });
    await projector.stop();

    const tx = await harness.pool.connect();
    await tx.query('begin');
    await tx.query('delete from counters where projection = $1', [name]);
    await clearCheckpoints(tx, name);
    await tx.query('commit');
    tx.release();
    await harness.admin.resetOffsets({ groupId: name, topic, earliest: true });
    projector = await harness.start({ projection, retry });
    await waitFor(
      async () => (await projectionStatus(harness, name, [topic])).partitions[0]?.lagEvents === 0,
      {
        what: 'the replay',
      },
    );
    expect(await readCounters(harness.pool, name)).toEqual({});
    expect((await listParkedStreams(harness.pool, name)).at(0)).toMatchObject({
      events: 3,
      head: { eventId: 'R-2' },
    });

    fixed = true;
    await redrive({ pool: harness.pool, producer: harness.producer }, name, { all: true });
    await waitFor(async () => (await versionsOf(name, 'R'))?.length === 3, { what: 'R rebuilt' });
    expect(await versionsOf(name, 'R')).toEqual([1, 2, 3]);
  });

  it('applies a stream whose event failed once when its retry succeeds, without an operator', async () => {
    const { topic, name } = await harness.scenario(1, 1);
    let failuresLeft = 2;
    const projection = counterProjection(name, [topic], (_, events) => {
      if (events.some((event) => event.eventId === 'E-2') && failuresLeft-- > 0)
        throw new Error('flaky rule');
    });
    await harness.start({ projection, retry: { levels: 1, delaysMs: [10], attemptsPerEvent: 1 } });
    await produceEvents(harness.producer, topic, eventsOf('E', 4));
    await waitFor(async () => (await versionsOf(name, 'E'))?.length === 4, { what: 'E applied' });
    expect(await versionsOf(name, 'E')).toEqual([1, 2, 3, 4]);
    expect(await listDeadLetters(harness.pool, name, { status: 'all' })).toEqual([]);
    await waitFor(async () => (await listParkedStreams(harness.pool, name)).length === 0, {
      what: 'E released',
    });
  });
});
