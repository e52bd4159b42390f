import { spec } from '@ledger/testing';
import type { DepositMoney, WithdrawMoney } from './commands';
import { accountDecider } from './decider';
import { ACCOUNT, T0, closed, deposited, frozen, opened, unfrozen, withdrawn } from './spec-fixtures';

const deposit = (amount: number, extra: Partial<DepositMoney> = {}): DepositMoney => ({
  type: 'DepositMoney',
  accountId: ACCOUNT,
  amount,
  currency: 'EUR',
  now: T0,
  ...extra,
});

const withdraw = (amount: number, extra: Partial<WithdrawMoney> = {}): WithdrawMoney => ({
  type: 'WithdrawMoney',
  accountId: ACCOUNT,
  amount,
  currency: 'EUR',
  now: T0,
  ...extra,
});

const invalidAmounts = [0, -5, 10.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1];

describe('DepositMoney', () => {
  it('records the deposit with a null reference when none is given', () => {
    spec(accountDecider)
      .given([opened()])
      .when(deposit(2_500))
      .then([deposited(2_500)]);
  });

  it('keeps the reference it is given', () => {
    const plain = deposited(2_500);
    const expected = { ...plain, data: { ...plain.data, reference: 'salary 03/2025' } };
    spec(accountDecider)
      .given([opened()])
      .when(deposit(2_500, { reference: 'salary 03/2025' }))
      .then([expected]);
  });

  it('credits a frozen account', () => {
    spec(accountDecider)
      .given([opened(), frozen()])
      .when(deposit(100))
      .then([deposited(100)]);
  });

  it('refuses a closed account', () => {
    spec(accountDecider).given([opened(), closed()]).when(deposit(100)).thenThrows('ACCOUNT_CLOSED');
  });

  it('refuses money in another currency', () => {
    spec(accountDecider)
      .given([opened()])
      .when(deposit(100, { currency: 'USD' }))
      .thenThrows('CURRENCY_MISMATCH');
  });

  it.each(invalidAmounts)('refuses the amount %p', (amount) => {
    spec(accountDecider).given([opened()]).when(deposit(amount)).thenThrows('INVALID_AMOUNT');
  });

  it('refuses a deposit that would push the balance past exact integer range', () => {
    spec(accountDecider)
      .given([opened(), deposited(Number.MAX_SAFE_INTEGER - 10)])
      .when(deposit(11))
      .thenThrows('INVALID_AMOUNT');
  });
});

describe('WithdrawMoney', () => {
  it('records a withdrawal covered by the balance', () => {
    spec(accountDecider)
      .given([opened(), deposited(1_000)])
      .when(withdraw(1_000))
      .then([withdrawn(1_000)]);
  });

  it('may use the overdraft down to exactly minus its limit', () => {
    spec(accountDecider)
      .given([opened({ overdraftLimit: 500 }), deposited(1_000)])
      .when(withdraw(1_500))
      .then([withdrawn(1_500)]);
  });

  it('refuses to go one minor unit below minus the overdraft limit', () => {
    spec(accountDecider)
      .given([opened({ overdraftLimit: 500 }), deposited(1_000)])
      .when(withdraw(1_501))
      .thenThrows('INSUFFICIENT_FUNDS');
  });

  it('counts earlier withdrawals against the balance', () => {
    spec(accountDecider)
      .given([opened(), deposited(1_000), withdrawn(600)])
      .when(withdraw(401))
      .thenThrows('INSUFFICIENT_FUNDS');
  });

  it('refuses a frozen account', () => {
    spec(accountDecider)
      .given([opened(), deposited(1_000), frozen()])
      .when(withdraw(10))
      .thenThrows('ACCOUNT_FROZEN');
  });

  it('debits again once the account is unfrozen', () => {
    spec(accountDecider)
      .given([opened(), deposited(1_000), frozen(), unfrozen()])
      .when(withdraw(10))
      .then([withdrawn(10)]);
  });

  it('refuses a closed account', () => {
    spec(accountDecider).given([opened(), closed()]).when(withdraw(10)).thenThrows('ACCOUNT_CLOSED');
  });

  it('refuses money in another currency', () => {
    spec(accountDecider)
      .given([opened(), deposited(1_000)])
      .when(withdraw(10, { currency: 'GBP' }))
      .thenThrows('CURRENCY_MISMATCH');
  });

  it.each(invalidAmounts)('refuses the amount %p', (amount) => {
    spec(accountDecider)
      .given([opened(), deposited(1_000)])
      .when(withdraw(amount))
      .thenThrows('INVALID_AMOUNT');
  });
});
