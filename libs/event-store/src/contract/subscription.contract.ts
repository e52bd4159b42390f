import { describe, expect, it } from '@jest/globals';
import type { LogPosition, RecordedEvent } from '../types';
import {
  ACCOUNT,
  deposited,
  newAccountStream,
  opened,
  type ContractContext,
  type TestStore,
} from './fixtures';
import { readToEnd } from './read.contract';

/** A running subscription that collects what it is given; `until` resolves once a condition holds. */
function collect(store: TestStore, from: LogPosition, pollIntervalMs = 60_000) {
  const received: RecordedEvent[] = [];
  const waiters: Array<() => void> = [];
  const controller = new AbortController();
  const running = store.subscribeToAll({
    from,
    signal: controller.signal,
    pollIntervalMs,
    batchSize: 2,
    onEvents: (events) => {
      received.push(...events);
      waiters.splice(0).forEach((wake) => wake());
    },
  });
  return {
    received,
    async until(condition: () => boolean): Promise<void> {
      while (!condition()) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    async stop(): Promise<void> {
      controller.abort();
      await running;
    },
  };
}

export function subscriptionContract(context: ContractContext): void {
  describe('subscribing to all', () => {
    // The poll interval is a minute: only the append notification can make these tests finish in time.
    it('delivers earlier events, then new ones as they are appended, until aborted', async () => {
      const store = await context.store();
      const head = await readToEnd(store);
      const streamId = newAccountStream();
      await store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened(), deposited(1), deposited(2)]);
      const subscription = collect(store, head);
      await subscription.until(() => subscription.received.length === 3);

      await store.appendToStream(streamId, ACCOUNT, 3, [deposited(3)]);
      await subscription.until(() => subscription.received.length === 4);
      await subscription.stop();

      expect(subscription.received.map((event) => event.streamVersion)).toEqual([1, 2, 3, 4]);
      await store.appendToStream(streamId, ACCOUNT, 4, [deposited(4)]);
      expect(subscription.received).toHaveLength(4);
    });

    it('resumes after a saved checkpoint without delivering anything twice', async () => {
      const store = await context.store();
      const head = await readToEnd(store);
      const streamId = newAccountStream();
      await store.appendToStream(streamId, ACCOUNT, 'no_stream', [opened(), deposited(1)]);
      const first = collect(store, head);
      await first.until(() => first.received.length === 2);
      await first.stop();
      const last = first.received[1];
      await store.saveCheckpoint('relay', {
        transactionId: last.transactionId,
        globalPosition: last.globalPosition,
      });

      await store.appendToStream(streamId, ACCOUNT, 2, [deposited(2)]);
      const checkpoint = await store.loadCheckpoint('relay');
      expect(checkpoint).toEqual({ transactionId: last.transactionId, globalPosition: last.globalPosition });
      const second = collect(store, checkpoint ?? head);
      await second.until(() => second.received.length === 1);
      await second.stop();
      expect(second.received.map((event) => event.streamVersion)).toEqual([3]);
    });

    it('moves a checkpoint forward only: an earlier position leaves the saved one', async () => {
      const store = await context.store();
      const later = { transactionId: 20, globalPosition: 7 };
      await store.saveCheckpoint('forward-only', later);
      await store.saveCheckpoint('forward-only', { transactionId: 20, globalPosition: 6 });
      await store.saveCheckpoint('forward-only', { transactionId: 19, globalPosition: 9 });
      expect(await store.loadCheckpoint('forward-only')).toEqual(later);
      await store.saveCheckpoint('forward-only', { transactionId: 21, globalPosition: 1 });
      expect(await store.loadCheckpoint('forward-only')).toEqual({ transactionId: 21, globalPosition: 1 });
    });

    it('has no checkpoint under an unknown name', async () => {
      const store = await context.store();
      expect(await store.loadCheckpoint('never-saved')).toBeUndefined();
    });

    it('rejects when the store closes under it', async () => {
      const store = await context.store();
      let running: Promise<void> = Promise.resolve();
      await new Promise<void>((caughtUp) => {
        running = store.subscribeToAll({
          signal: new AbortController().signal,
          onEvents: () => undefined,
          onCaughtUp: () => caughtUp(),
        });
      });
      const rejected = expect(running).rejects.toThrow('event store closed');
      await store.close();
      await rejected;
    });

    it('rejects when the consumer fails, so it restarts from its checkpoint', async () => {
      const store = await context.store();
      const head = await readToEnd(store);
      await store.appendToStream(newAccountStream(), ACCOUNT, 'no_stream', [opened()]);
      const failing = store.subscribeToAll({
        from: head,
        signal: new AbortController().signal,
        onEvents: () => {
          throw new Error('broker unavailable');
        },
      });
      await expect(failing).rejects.toThrow('broker unavailable');
    });
  });
}
