import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { DuplicateEventIdError, StreamTypeMismatchError, WrongExpectedVersionError } from '../errors';
import { ACCOUNT, amountsOf, deposited, newAccountStream, opened, type ContractContext } from './fixtures';

export function appendContract(context: ContractContext): void {
  describe('appending', () => {
    it('numbers a new stream from version 1 and reads back every column', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      const eventId = randomUUID();
      const first = { ...opened(), eventId };
      const result = await store.appendToStream(streamId, ACCOUNT, 'no_stream', [first, deposited(500)]);

      const events = await store.readStream(streamId);
      expect(result).toEqual({
        nextExpectedVersion: 2,
        lastGlobalPosition: events[1].globalPosition,
        eventIds: [eventId, events[1].eventId],
        replayed: false,
      });
      expect(events.map((event) => event.streamVersion)).toEqual([1, 2]);
      expect(events[0]).toEqual({
        globalPosition: expect.any(Number),
        transactionId: expect.any(Number),
        streamId,
        streamType: ACCOUNT,
        streamVersion: 1,
        eventId,
        type: 'ledger.accounts.AccountOpened',
        schemaVersion: 2,
        data: first.data,
        metadata: { correlationId: 'corr-1', causationId: 'cmd-1', actor: 'user-1', commandId: 'cmd-1' },
        recordedAt: expect.any(Date),
      });
      expect(events[1].globalPosition).toBeGreaterThan(events[0].globalPosition);
      expect(events[1].metadata).toEqual({});
    });

    it('gives events without an id time-ordered ids (UUID version 7), increasing in append order', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      const first = await store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened(), deposited(1)]);
      const second = await store.appendToStream(streamId, ACCOUNT, 2, [deposited(2)]);
      const ids = [...first.eventIds, ...second.eventIds];
      for (const id of ids)
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect([...ids].sort()).toEqual(ids);
      expect((await store.readStream(streamId)).map((event) => event.eventId)).toEqual(ids);
    });

    it('appends at the expected version and reports the next one', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      const first = await store.appendToStream(streamId, ACCOUNT, 0, [opened()]);
      const second = await store.appendToStream(streamId, ACCOUNT, first.nextExpectedVersion, [
        deposited(1),
        deposited(2),
      ]);
      expect(second.nextExpectedVersion).toBe(3);
      expect(amountsOf((await store.readStream(streamId)).slice(1))).toEqual([1, 2]);
    });

    it('rejects a stale expected version with the actual one and writes nothing', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      await store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened(), deposited(1)]);

      const error = await store.appendToStream(streamId, ACCOUNT, 1, [deposited(2)]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamId, expected: 1, actual: 2 });
      expect(await store.readStream(streamId)).toHaveLength(2);
    });

    it('rejects no_stream for a stream that exists', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      await store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened()]);
      await expect(store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened()])).rejects.toMatchObject({
        name: 'WrongExpectedVersionError',
        expected: 'no_stream',
        actual: 1,
      });
    });

    it('rejects a version ahead of the stream', async () => {
      const store = await context.store();
      await expect(store.appendToStream(newAccountStream(), ACCOUNT, 3, [opened()])).rejects.toBeInstanceOf(
        WrongExpectedVersionError,
      );
    });

    it('appends without a check when any version is expected', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      await store.appendToStream(streamId, ACCOUNT, 'any', [opened()]);
      const result = await store.appendToStream(streamId, ACCOUNT, 'any', [deposited(7)]);
      expect(result.nextExpectedVersion).toBe(2);
    });

    it('rejects a batch holding an event id that is already stored, writing none of it', async () => {
      const store = await context.store();
      const eventId = randomUUID();
      await store.appendToStream(newAccountStream(), ACCOUNT, 'no_stream', [{ ...opened(), eventId }]);
      const streamId = newAccountStream();

      await expect(
        store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened(), { ...deposited(1), eventId }]),
      ).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(await store.readStream(streamId)).toEqual([]);
    });

    it('rejects an append with a stream type other than the stream has', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      await store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened()]);
      await expect(store.appendToStream(streamId, 'transfer', 1, [deposited(1)])).rejects.toEqual(
        new StreamTypeMismatchError(streamId, ACCOUNT, 'transfer'),
      );
    });

    it('checks the version of an empty append and returns the stream head', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      const written = await store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened()]);
      expect(await store.appendToStream(streamId, ACCOUNT, 1, [])).toEqual({
        nextExpectedVersion: 1,
        lastGlobalPosition: written.lastGlobalPosition,
        eventIds: [],
        replayed: false,
      });
      await expect(store.appendToStream(streamId, ACCOUNT, 0, [])).rejects.toBeInstanceOf(
        WrongExpectedVersionError,
      );
    });

    it('refuses malformed events before writing', async () => {
      const store = await context.store();
      const streamId = newAccountStream();
      await expect(
        store.appendToStream(streamId, ACCOUNT, 0, [{ ...opened(), schemaVersion: 0 }]),
      ).rejects.toThrow(TypeError);
      await expect(
        store.appendToStream(streamId, ACCOUNT, 0, [{ ...opened(), eventId: 'x' }]),
      ).rejects.toThrow(TypeError);
      expect(await store.readStream(streamId)).toEqual([]);
    });
  });
}
