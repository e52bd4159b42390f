import type { StoreStreamDigest } from '@ledger/event-store';
import type { AccountReadDigest } from '../accounts/account-digests';
import { compareAccount, compareTransfer } from './compare';

const now = new Date('2026-01-01T12:00:00.000Z');
const options = { now, graceMs: 10_000 };
const ago = (ms: number) => new Date(now.getTime() - ms);

const store = (change: Partial<StoreStreamDigest> = {}): StoreStreamDigest => ({
  streamId: 'account-a',
  headVersion: 3,
  headPosition: 30,
  headRecordedAt: ago(60_000),
  lastEventType: 'ledger.accounts.MoneyWithdrawn',
  moneyEvents: 2,
  credits: 1000,
  debits: 10,
  moneyDigest: 'd1',
  ...change,
});
const read = (change: Partial<AccountReadDigest> = {}): AccountReadDigest => ({
  accountId: 'a',
  version: 3,
  balance: 990,
  entries: 2,
  credits: 1000,
  debits: 10,
  moneyDigest: 'd1',
  lastBalanceAfter: 990,
  brokenRunningBalances: 0,
  ...change,
});

describe('compareAccount', () => {
  it('finds a read model that matches the store clean', () => {
    expect(compareAccount('account-a', store(), read(), options)).toEqual({
      streamId: 'account-a',
      state: 'clean',
    });
  });

  it('names each difference with what the store implies and what the read model holds', () => {
    const verdict = compareAccount(
      'account-a',
      store(),
      read({ balance: 991, brokenRunningBalances: 1 }),
      options,
    );
    expect(verdict).toEqual({
      streamId: 'account-a',
      state: 'drift',
      differences: [
        { field: 'balance', expected: 990, actual: 991 },
        { field: 'statement.brokenRunningBalances', expected: 0, actual: 1 },
      ],
    });
  });

  it('catches an entry of another amount at an unchanged count and sum through the digest', () => {
    const verdict = compareAccount('account-a', store(), read({ moneyDigest: 'd2' }), options);
    expect(verdict).toMatchObject({
      state: 'drift',
      differences: [{ field: 'statement.digest', expected: 'd1', actual: 'd2' }],
    });
  });

  it('counts a read model behind a recent head as catching up, and behind an old head as drift', () => {
    const behind = read({
      version: 2,
      balance: 1000,
      entries: 1,
      debits: 0,
      moneyDigest: 'd0',
      lastBalanceAfter: 1000,
    });
    expect(compareAccount('account-a', store({ headRecordedAt: ago(1_000) }), behind, options)).toEqual({
      streamId: 'account-a',
      state: 'pending',
      expectedVersion: 3,
      actualVersion: 2,
    });
    expect(compareAccount('account-a', store(), behind, options)).toMatchObject({ state: 'drift' });
  });

  it('reports a summary the store has no stream for', () => {
    expect(compareAccount('account-a', undefined, read(), options)).toMatchObject({
      state: 'drift',
      differences: expect.arrayContaining([{ field: 'version', expected: null, actual: 3 }]),
    });
  });
});

describe('compareTransfer', () => {
  const transferStore = (lastEventType: string) =>
    store({ streamId: 'transfer-t', headVersion: 3, lastEventType, moneyEvents: 0, credits: 0, debits: 0 });

  it('expects the status the last event of the stream sets', () => {
    const row = { transferId: 't', version: 3, status: 'completed' as const, historyEntries: 3 };
    expect(
      compareTransfer('transfer-t', transferStore('ledger.transfers.TransferCompleted'), row, options),
    ).toEqual({
      streamId: 'transfer-t',
      state: 'clean',
    });
    expect(
      compareTransfer('transfer-t', transferStore('ledger.transfers.TransferFailed'), row, options),
    ).toEqual({
      streamId: 'transfer-t',
      state: 'drift',
      differences: [{ field: 'status', expected: 'failed', actual: 'completed' }],
    });
  });
});
