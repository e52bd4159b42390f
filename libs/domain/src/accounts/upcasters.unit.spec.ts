import { accountDecider } from './decider';
import type { AccountEvent } from './events';
import { upcastAccountOpenedV1, type AccountOpenedV1Data } from './upcasters';

const v1: AccountOpenedV1Data = {
  accountId: '0b6f5c3e-2f4c-4d39-9a55-2f1e0e0c7a01',
  ownerId: 'owner-42',
  currency: 'EUR',
  overdraftLimit: 2_000,
  openedAt: '2019-06-01T10:00:00.000Z',
};

describe('upcastAccountOpenedV1', () => {
  it('adds the default daily withdrawal limit and keeps every other field', () => {
    expect(upcastAccountOpenedV1(v1)).toStrictEqual({ ...v1, dailyWithdrawalLimit: 100_000_000 });
  });

  it('leaves the stored v1 data untouched', () => {
    const stored = { ...v1 };
    upcastAccountOpenedV1(stored);
    expect(stored).toStrictEqual(v1);
  });

  it('yields an account whose decisions apply the default limit', () => {
    const events: AccountEvent[] = [
      { type: 'ledger.accounts.AccountOpened', data: upcastAccountOpenedV1(v1) },
      {
        type: 'ledger.accounts.MoneyDeposited',
        data: { ...v1, amount: 200_000_000, reference: null, depositedAt: '2019-06-01T10:00:00.000Z' },
      },
    ];
    const state = events.reduce(accountDecider.evolve, accountDecider.initialState);
    const withdraw = { accountId: v1.accountId, currency: 'EUR', now: '2019-06-02T10:00:00.000Z' };
    expect(() =>
      accountDecider.decide({ type: 'WithdrawMoney', ...withdraw, amount: 100_000_001 }, state),
    ).toThrow(expect.objectContaining({ code: 'DAILY_LIMIT_EXCEEDED' }));
    expect(
      accountDecider.decide({ type: 'WithdrawMoney', ...withdraw, amount: 100_000_000 }, state),
    ).toHaveLength(1);
  });
});
