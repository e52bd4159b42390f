import { randomUUID } from 'node:crypto';
import type { CheckpointStore, EventStore } from '../event-store';
import type { NewEvent, RecordedEvent } from '../types';
import type { UpcasterRegistry } from '../upcasters';

export type TestStore = EventStore & CheckpointStore;

/** Creates a store on fresh or shared storage; the contract closes every store it creates. */
export type StoreFactory = (options: { upcasters?: UpcasterRegistry }) => Promise<TestStore>;

export interface ContractContext {
  store(options?: { upcasters?: UpcasterRegistry }): Promise<TestStore>;
}

export const ACCOUNT = 'account';

/** Stream ids are unique per test, so a contract can run against one shared database. */
export const newAccountStream = () => `account-${randomUUID()}`;

export function opened(accountId = randomUUID()): NewEvent {
  return {
    type: 'ledger.accounts.AccountOpened',
    schemaVersion: 2,
    data: {
      accountId,
      ownerId: 'owner-1',
      currency: 'EUR',
      overdraftLimit: 0,
      dailyWithdrawalLimit: 50_000,
      openedAt: '2026-01-01T00:00:00.000Z',
    },
    metadata: { correlationId: 'corr-1', causationId: 'cmd-1', actor: 'user-1', commandId: 'cmd-1' },
  };
}

export function deposited(amount: number, reference: string | null = null): NewEvent {
  return {
    type: 'ledger.accounts.MoneyDeposited',
    schemaVersion: 1,
    data: { accountId: 'a', amount, currency: 'EUR', reference, depositedAt: '2026-01-01T00:00:00.000Z' },
  };
}

export const amountsOf = (events: readonly RecordedEvent[]) =>
  events.map((event) => (event.data as { amount: number }).amount);

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Balance of an account: the aggregate the snapshot tests load. */
export const balanceAggregate = {
  streamType: ACCOUNT,
  initialState: { balance: 0 },
  stateVersion: 1,
  evolve(state: { balance: number }, event: { type: string; data: unknown }) {
    return event.type === 'ledger.accounts.MoneyDeposited'
      ? { balance: state.balance + (event.data as { amount: number }).amount }
      : state;
  },
};
