import type { Kafka } from 'kafkajs';
import { waitFor } from '@ledger/testing';
import { listParkedStreams, TransientError } from '@ledger/projections';
import { counterProjection, readCounters } from './support/counters';
import { Harness } from './support/harness';
import { eventsOf, produceEvents } from './support/kafka';

// The parking row commits before its head is sent to the retry topic. When the process stops in between,
// the next start sends it, and the stream recovers as if nothing had happened.

const harness = new Harness();
beforeAll(() => harness.setUp());
afterAll(() => harness.tearDown());

/** The same cluster, but every producer it makes fails to send. */
function withBrokenProducers(kafka: Kafka): Kafka {
  const broken = Object.create(kafka) as Kafka;
  broken.producer = (config) => {
    const producer = kafka.producer(config);
    producer.sendBatch = async () => {
      throw new TransientError('brokers unreachable');
    };
    return producer;
  };
  return broken;
}

describe('publication of parked heads', () => {
  it('sends a head left unpublished by a stopped projector on the next start', async () => {
    const { topic, name } = await harness.scenario(1, 1);
    let fixed = false;
    const projection = counterProjection(name, [topic], (_, events) => {
      if (!fixed && events.some((event) => event.eventId === 'X-2')) throw new Error('not yet');
    });
    const retry = { levels: 1, delaysMs: [10], attemptsPerEvent: 1 };
    const first = await harness.start({
      projection,
      retry,
      kafka: withBrokenProducers(harness.kafka),
      backoff: { initialMs: 60_000, maxMs: 60_000, jitter: 'full' },
    });
    await produceEvents(harness.producer, topic, eventsOf('X', 3));
    await waitFor(async () => (await listParkedStreams(harness.pool, name)).at(0)?.events === 2, {
      what: 'X parked',
    });
    await first.stop();
    const { rows } = await harness.pool.query(
      'select published from projection_parked_keys where projection = $1',
      [name],
    );
    expect(rows).toEqual([{ published: false }]);

    fixed = true;
    await harness.start({ projection, retry });
    await waitFor(async () => (await readCounters(harness.pool, name)).X?.events === 3, {
      what: 'X recovered',
    });
    expect((await readCounters(harness.pool, name)).X?.versions).toEqual([1, 2, 3]);
    await waitFor(async () => (await listParkedStreams(harness.pool, name)).length === 0, {
      what: 'X released',
    });
  });
});
