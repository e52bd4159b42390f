import { LRUCache } from 'lru-cache';
import { randomUUID } from 'node:crypto';
import { handleCommand, ledgerUpcasters } from '@ledger/application';
import { accountDecider, accountStreamId } from '@ledger/domain';
import { PostgresEventStore } from '@ledger/event-store';
import { runFor } from '../lib';
import { depositEvent, depositMoney, openAccount, requestMetadata } from './fixtures';
import { PreviousPathStore } from './previous-path';

/** Events appended per second by `concurrency` workers, each writing its own stream. */
export type AppendWorkload = (databaseUrl: string, concurrency: number, seconds: number) => Promise<number>;

/**
 * How the store's write path runs: `current` (append_to_stream, throttled wake-up NOTIFY after commit),
 * `no-wake-up` (the same without any NOTIFY: the A/B partner of a NOTIFY trigger the caller installs) or
 * `previous` (the five-statement transaction and two-statement load, see previous-path.ts).
 */
export type WritePath = 'current' | 'no-wake-up' | 'previous';

// One pooled connection per worker, as pgbench has one per client; the first command of every worker
// runs before the clock starts, so connecting is excluded on both sides.
const openStore = (databaseUrl: string, concurrency: number, path: WritePath) => {
  const options = { connectionString: databaseUrl, poolSize: concurrency, upcasters: ledgerUpcasters() };
  if (path === 'previous') return new PreviousPathStore(options);
  return new PostgresEventStore({
    ...options,
    appendNotifyIntervalMs: path === 'no-wake-up' ? 0 : undefined,
  });
};

/** appendToStream alone: one event per call at the expected version the worker tracks itself. */
export const storeAppend =
  (path: WritePath): AppendWorkload =>
  async (databaseUrl, concurrency, seconds) => {
    const store = openStore(databaseUrl, concurrency, path);
    try {
      const streams = Array.from({ length: concurrency }, () => ({ accountId: randomUUID(), version: 0 }));
      const append = async (worker: number) => {
        const stream = streams[worker];
        const result = await store.appendToStream(
          accountStreamId(stream.accountId),
          accountDecider.streamType,
          stream.version,
          [depositEvent(stream.accountId)],
        );
        stream.version = result.nextExpectedVersion;
      };
      await Promise.all(streams.map((_, worker) => append(worker)));
      return (await runFor(seconds * 1000, concurrency, append)).perSecond;
    } finally {
      await store.close();
    }
  };

/**
 * The command path of the service: handleCommand loads the account (snapshot plus newer events, or with
 * the state cache only the events after the cached state), decides a deposit and appends its one event,
 * saving a snapshot every `snapshotEvery` events.
 */
export const commandAppend =
  (snapshotEvery: number, path: WritePath, cached: boolean): AppendWorkload =>
  async (databaseUrl, concurrency, seconds) => {
    const store = openStore(databaseUrl, concurrency, path);
    const stateCache = cached
      ? new LRUCache<string, { state: unknown; version: number }>({ max: 10_000 })
      : undefined;
    try {
      const accounts = Array.from({ length: concurrency }, () => randomUUID());
      const send = (accountId: string, command: typeof openAccount) =>
        handleCommand(
          store,
          accountDecider,
          { streamId: accountStreamId(accountId), command: command(accountId), metadata: requestMetadata() },
          { snapshotEvery, stateCache },
        );
      await Promise.all(accounts.map((accountId) => send(accountId, openAccount)));
      const deposit = async (worker: number) => {
        await send(accounts[worker], depositMoney);
      };
      return (await runFor(seconds * 1000, concurrency, deposit)).perSecond;
    } finally {
      await store.close();
    }
  };
