import { describe, expect, it } from '@jest/globals';
import { loadAggregate, saveSnapshotIfDue } from '../aggregate';
import {
  ACCOUNT,
  balanceAggregate,
  deposited,
  newAccountStream,
  opened,
  type ContractContext,
} from './fixtures';

export function snapshotContract(context: ContractContext): void {
  describe('snapshots', () => {
    it('keeps the latest snapshot per stream and snapshot version', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      await store.saveSnapshot({ streamId, snapshotVersion: 1, streamVersion: 10, state: { balance: 10 } });
      await store.saveSnapshot({ streamId, snapshotVersion: 1, streamVersion: 5, state: { balance: 5 } });
      await store.saveSnapshot({ streamId, snapshotVersion: 2, streamVersion: 3, state: { cents: 3 } });

      expect(await store.readSnapshot(streamId, 1)).toMatchObject({
        streamVersion: 10,
        state: { balance: 10 },
      });
      expect(await store.readSnapshot(streamId, 2)).toMatchObject({ streamVersion: 3, state: { cents: 3 } });
      expect((await store.readSnapshot(streamId, 1))?.takenAt).toBeInstanceOf(Date);
      expect(await store.readSnapshot(streamId, 3)).toBeUndefined();
    });

    it('loads an aggregate from its latest snapshot plus the events after it', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      await store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened(), deposited(10), deposited(20)]);
      // A state no fold of these events produces, so the result proves the snapshot was the starting point.
      await store.saveSnapshot({ streamId, snapshotVersion: 1, streamVersion: 2, state: { balance: 1000 } });

      const loaded = await loadAggregate(store, balanceAggregate, streamId);
      expect(loaded).toEqual({ state: { balance: 1020 }, version: 3, snapshotStreamVersion: 2 });
    });

    it('ignores snapshots of another snapshot version and folds the whole stream', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      await store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened(), deposited(10), deposited(20)]);
      await store.saveSnapshot({ streamId, snapshotVersion: 1, streamVersion: 2, state: { balance: 1000 } });

      const changed = { ...balanceAggregate, stateVersion: 2 };
      expect(await loadAggregate(store, changed, streamId)).toEqual({
        state: { balance: 30 },
        version: 3,
        snapshotStreamVersion: undefined,
      });
    });

    it('reads the latest snapshot of a version together with the events after it', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      await store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened(), deposited(10), deposited(20)]);
      await store.saveSnapshot({ streamId, snapshotVersion: 1, streamVersion: 2, state: { balance: 10 } });

      const fromSnapshot = await store.readStreamFromSnapshot(streamId, 1);
      expect(fromSnapshot.snapshot).toMatchObject({
        streamId,
        snapshotVersion: 1,
        streamVersion: 2,
        state: { balance: 10 },
      });
      expect(fromSnapshot.snapshot?.takenAt).toBeInstanceOf(Date);
      expect(fromSnapshot.events.map((event) => event.streamVersion)).toEqual([3]);
      expect(fromSnapshot.events[0]).toEqual((await store.readStream(streamId, { fromVersion: 3 }))[0]);

      const withoutSnapshot = await store.readStreamFromSnapshot(streamId, undefined);
      expect(withoutSnapshot.snapshot).toBeUndefined();
      expect(withoutSnapshot.events).toEqual(await store.readStream(streamId));
      const otherVersion = await store.readStreamFromSnapshot(streamId, 2);
      expect(otherVersion.snapshot).toBeUndefined();
      expect(otherVersion.events.map((event) => event.streamVersion)).toEqual([1, 2, 3]);
      expect(await store.readStreamFromSnapshot(newAccountStream(), 1)).toEqual({
        snapshot: undefined,
        events: [],
      });
    });

    it('saves a snapshot only when an append crosses a multiple of the interval', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      const options = { snapshotEvery: 3 };
      const change = (previousVersion: number, version: number) => ({
        previousVersion,
        version,
        state: { balance: version },
      });

      expect(await saveSnapshotIfDue(store, balanceAggregate, streamId, change(0, 2), options)).toBe(false);
      expect(await store.readSnapshot(streamId, 1)).toBeUndefined();
      expect(await saveSnapshotIfDue(store, balanceAggregate, streamId, change(2, 4), options)).toBe(true);
      expect(await store.readSnapshot(streamId, 1)).toMatchObject({
        streamVersion: 4,
        state: { balance: 4 },
      });
      expect(await saveSnapshotIfDue(store, balanceAggregate, streamId, change(4, 5), options)).toBe(false);
      expect(await saveSnapshotIfDue(store, balanceAggregate, streamId, change(5, 6), options)).toBe(true);
      expect(
        await saveSnapshotIfDue(store, balanceAggregate, streamId, change(6, 9), {
          snapshotEvery: 3,
          snapshotVersion: 7,
        }),
      ).toBe(true);
      expect(await store.readSnapshot(streamId, 7)).toMatchObject({ streamVersion: 9 });
    });
  });
}
