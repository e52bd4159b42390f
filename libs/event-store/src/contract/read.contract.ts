import { describe, expect, it } from '@jest/globals';
import { compareLogPositions, logPositionOf } from '../log-position';
import type { LogPosition, RecordedEvent } from '../types';
import {
  ACCOUNT,
  amountsOf,
  deposited,
  newAccountStream,
  opened,
  sleep,
  type ContractContext,
  type TestStore,
} from './fixtures';

export function readContract(context: ContractContext): void {
  describe('reading', () => {
    it('reads nothing from an unknown stream', async () => {
      const store = await context.store();
      expect(await store.readStream(newAccountStream())).toEqual([]);
    });

    it('reads an inclusive version range', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      await store.appendToStream(streamId, ACCOUNT, 'no_stream', [
        opened(),
        deposited(1),
        deposited(2),
        deposited(3),
      ]);
      const events = await store.readStream(streamId, { fromVersion: 2, toVersion: 3 });
      expect(events.map((event) => event.streamVersion)).toEqual([2, 3]);
      expect(amountsOf(events)).toEqual([1, 2]);
    });

    it('reads a stream as of an instant', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      await store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened(), deposited(1)]);
      await sleep(5);
      await store.appendToStream(streamId, ACCOUNT, 2, [deposited(2)]);
      const [, second, third] = await store.readStream(streamId);
      expect(third.recordedAt.getTime()).toBeGreaterThan(second.recordedAt.getTime());

      const asOf = await store.readStream(streamId, { asOf: second.recordedAt });
      expect(asOf.map((event) => event.streamVersion)).toEqual([1, 2]);
      expect(await store.readStream(streamId, { asOf: new Date(0) })).toEqual([]);
    });

    it('reads all streams in global position order after a position, up to a limit', async () => {
      const store = await context.store();
      const [a, b] = [newAccountStream(), newAccountStream()];
      const first = await store.appendToStream(a, ACCOUNT, 'no_stream', [opened()]);
      await store.appendToStream(b, ACCOUNT, 'no_stream', [opened(), deposited(1)]);
      await store.appendToStream(a, ACCOUNT, 1, [deposited(2)]);

      const all = await store.readAll({ after: first.lastGlobalPosition - 1 });
      const ours = all.filter((event) => event.streamId === a || event.streamId === b);
      expect(ours.map((event) => [event.streamId, event.streamVersion])).toEqual([
        [a, 1],
        [b, 1],
        [b, 2],
        [a, 2],
      ]);
      const limited = await store.readAll({ after: first.lastGlobalPosition, limit: 2 });
      expect(limited.map((event) => event.streamId)).toEqual([b, b]);
    });

    it('reads the gap-free log in pages that resume exactly after the last event', async () => {
      const store = await context.store();
      const head = await readToEnd(store);
      const streams = [newAccountStream(), newAccountStream(), newAccountStream()];
      for (const streamId of streams) {
        await store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened(), deposited(1), deposited(2)]);
      }

      const pages: string[][] = [];
      let position = head;
      while (pages.flat().length < 9) {
        const batch = await store.readAllSafe({ after: position, limit: 4 });
        if (batch.events.length === 0) {
          await sleep(5); // the store may hold events back while older transactions run
          continue;
        }
        pages.push(batch.events.map((event) => event.eventId));
        expect(batch.events.length).toBeLessThanOrEqual(4);
        expect(compareLogPositions(batch.position, position)).toBeGreaterThan(0);
        expect(batch.position).toEqual(logPositionOf(batch.events[batch.events.length - 1]));
        position = batch.position;
      }
      const expected = (await Promise.all(streams.map((streamId) => store.readStream(streamId)))).flat();
      expect(pages.flat()).toEqual(expected.map((event) => event.eventId));
      expect((await store.readAllSafe({ after: position })).events).toEqual([]);
    });

    it('keeps a stream in version order in the gap-free log', async () => {
      const store = await context.store();
      const head = await readToEnd(store);
      const streamId = newAccountStream();
      await store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened()]);
      await Promise.all(
        [1, 2, 3].map((amount) => store.appendToStream(streamId, ACCOUNT, 'any', [deposited(amount)])),
      );
      const events = await readSafeUntil(store, head, 4);
      expect(events.map((event) => event.streamVersion)).toEqual([1, 2, 3, 4]);
      expect(events.every((event) => event.streamId === streamId)).toBe(true);
    });
  });
}

/** The end of the gap-free log once nothing is held back, so a test sees only events it appends later. */
export async function readToEnd(store: TestStore): Promise<LogPosition> {
  let batch = await store.readAllSafe({ limit: 10_000 });
  while (batch.events.length > 0 || batch.withheld) {
    if (batch.events.length === 0) await sleep(5);
    batch = await store.readAllSafe({ after: batch.position, limit: 10_000 });
  }
  return batch.position;
}

/**
 * Reads the gap-free log after `after` until `count` events arrived. Safe reads lag behind appends while
 * any older transaction runs (on Postgres: anywhere on the server), so a test polls instead of expecting
 * an append to be readable at once.
 */
export async function readSafeUntil(
  store: TestStore,
  after: LogPosition,
  count: number,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let position = after;
  while (events.length < count) {
    const batch = await store.readAllSafe({ after: position });
    if (batch.events.length === 0) await sleep(5);
    events.push(...batch.events);
    position = batch.position;
  }
  return events;
}
