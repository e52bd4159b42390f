import { waitFor } from '@ledger/testing';
import { decodeJsonRecord, projectionStatus, type ProjectionRecord } from '@ledger/projections';
import { counterProjection, readCounters } from './support/counters';
import { Harness } from './support/harness';
import { eventsOf, produceEvents } from './support/kafka';

// Given a consumer that acts on some event types only, then records of other types are skipped by their
// `event-type` header: never decoded (a record that cannot be decoded does not park its stream), never
// applied, while the stream's other events apply in order.

const harness = new Harness();
beforeAll(() => harness.setUp());
afterAll(() => harness.tearDown());

describe('a consumer of some event types', () => {
  it('skips records of other types before decoding them and applies the rest in order', async () => {
    const { topic, name } = await harness.scenario(2, 1);
    const noise = (version: number) => ({ streamId: 's-1', version, type: 'test.Noise', raw: 'not json' });
    await produceEvents(harness.producer, topic, [
      { streamId: 's-1', version: 1 },
      noise(2),
      { streamId: 's-1', version: 3 },
      noise(4),
      { streamId: 's-1', version: 5 },
      ...eventsOf('s-2', 3),
    ]);
    const decoded: string[] = [];
    const decode = (record: ProjectionRecord) => {
      decoded.push(`${record.key}@${record.headers['stream-version']}`);
      return decodeJsonRecord(record);
    };
    await harness.start({
      projection: { ...counterProjection(name, [topic]), eventTypes: new Set(['test.Counted']) },
      decode: decode as never,
    });

    await waitFor(
      async () => {
        const status = await projectionStatus(harness, name, [topic]);
        return status.partitions.every((partition) => partition.lagEvents === 0);
      },
      { what: 'every record processed and committed' },
    );
    const counters = await readCounters(harness.pool, name);
    expect(counters['s-1']).toEqual({ events: 3, total: 9, versions: [1, 3, 5] });
    expect(counters['s-2']).toEqual({ events: 3, total: 6, versions: [1, 2, 3] });
    expect(decoded.sort()).toEqual(['s-1@1', 's-1@3', 's-1@5', 's-2@1', 's-2@2', 's-2@3']);
    expect((await projectionStatus(harness, name, [topic])).parked).toEqual({
      retrying: 0,
      deadLettered: 0,
      events: 0,
    });
  });
});
