import { accountDecider } from './accounts/decider';
import { foldAsOf, isKnownAsOf, type RecordedLedgerEvent } from './time-axes';

const ACCOUNT = '0b6f5c3e-2f4c-4d39-9a55-2f1e0e0c7a01';
const at = (second: number) => new Date(Date.UTC(2025, 2, 1, 9, 0, second)).toISOString();

// Given recorded events with their business time (in the data) and record time, then the state on both axes.
const stream: RecordedLedgerEvent[] = [
  {
    type: 'ledger.accounts.AccountOpened',
    recordedAt: at(0),
    data: {
      accountId: ACCOUNT,
      ownerId: 'o',
      currency: 'EUR',
      overdraftLimit: 0,
      dailyWithdrawalLimit: 1_000,
      openedAt: at(0),
    },
  },
  {
    type: 'ledger.accounts.MoneyDeposited',
    recordedAt: at(10),
    data: { accountId: ACCOUNT, amount: 100, currency: 'EUR', reference: null, depositedAt: at(10) },
  },
  // Decided at 19 s, recorded at 30 s: a late booking.
  {
    type: 'ledger.accounts.MoneyWithdrawn',
    recordedAt: at(30),
    data: { accountId: ACCOUNT, amount: 40, currency: 'EUR', reference: null, withdrawnAt: at(19) },
  },
  {
    type: 'ledger.accounts.MoneyDeposited',
    recordedAt: at(31),
    data: { accountId: ACCOUNT, amount: 5, currency: 'EUR', reference: null, depositedAt: at(31) },
  },
];
const balance = (asOf: string, knownAt: string, events = stream) => {
  const { state, counted } = foldAsOf(accountDecider, events, { asOf, knownAt });
  return state.status === 'notOpened' ? null : { balance: state.balance, counted: counted.length };
};

describe('as of, on both time axes', () => {
  it('counts a fact in effect by asOf only once it was recorded by knownAt', () => {
    expect(balance(at(20), at(29))).toEqual({ balance: 100, counted: 2 });
    expect(balance(at(20), at(30))).toEqual({ balance: 60, counted: 3 });
  });

  it('keeps both bounds inclusive', () => {
    expect(balance(at(19), at(30))).toEqual({ balance: 60, counted: 3 });
    expect(isKnownAsOf(at(19), at(30), { asOf: at(19), knownAt: at(30) })).toBe(true);
    expect(isKnownAsOf(at(19), new Date(at(30)), { asOf: at(18), knownAt: at(30) })).toBe(false);
  });

  it('gives the same answer for a fixed knownAt whatever is recorded later, even effective in the past', () => {
    const later: RecordedLedgerEvent = {
      type: 'ledger.accounts.MoneyWithdrawn',
      recordedAt: at(50),
      data: { accountId: ACCOUNT, amount: 7, currency: 'EUR', reference: null, withdrawnAt: at(12) },
    };
    expect(balance(at(25), at(40), [...stream, later])).toEqual(balance(at(25), at(40)));
    expect(balance(at(25), at(50), [...stream, later])).toEqual({ balance: 53, counted: 4 });
  });

  it('has no account before the opening on either axis', () => {
    expect(balance(at(-1), at(40))).toBeNull();
    expect(foldAsOf(accountDecider, stream, { asOf: at(40), knownAt: at(-1) }).counted).toEqual([]);
  });
});
