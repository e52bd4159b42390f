import { spec } from '@ledger/testing';
import type { WithdrawMoney } from './commands';
import { accountDecider } from './decider';
import {
  ACCOUNT,
  TRANSFER,
  at,
  debitCommand,
  deposited,
  opened,
  transferDebited,
  transferRefunded,
  withdrawn,
} from './spec-fixtures';

// Limit 1 000 per UTC day, with far more money on the account than that.
const funded = [opened({ dailyWithdrawalLimit: 1_000 }), deposited(1_000_000)];

const withdraw = (amount: number, now: string): WithdrawMoney => ({
  type: 'WithdrawMoney',
  accountId: ACCOUNT,
  amount,
  currency: 'EUR',
  now,
});

describe('daily withdrawal limit', () => {
  it('allows debits up to exactly the limit within one UTC day', () => {
    spec(accountDecider)
      .given([...funded, withdrawn(600, at('08:00:00'))])
      .when(withdraw(400, at('20:00:00')))
      .then([withdrawn(400, at('20:00:00'))]);
  });

  it('refuses a withdrawal that takes the day over the limit', () => {
    spec(accountDecider)
      .given([...funded, withdrawn(600, at('08:00:00'))])
      .when(withdraw(401, at('20:00:00')))
      .thenThrows('DAILY_LIMIT_EXCEEDED');
  });

  it('refuses a single withdrawal above the limit', () => {
    spec(accountDecider)
      .given(funded)
      .when(withdraw(1_001, at('08:00:00')))
      .thenThrows('DAILY_LIMIT_EXCEEDED');
  });

  it('counts transfer debits together with withdrawals', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(700, TRANSFER, at('08:00:00'))])
      .when(withdraw(301, at('09:00:00')))
      .thenThrows('DAILY_LIMIT_EXCEEDED');
  });

  it('refuses a transfer debit over the limit', () => {
    spec(accountDecider)
      .given([...funded, withdrawn(700, at('08:00:00'))])
      .when(debitCommand(301, { now: at('09:00:00') }))
      .thenThrows('DAILY_LIMIT_EXCEEDED');
  });

  it('starts afresh at midnight UTC', () => {
    spec(accountDecider)
      .given([...funded, withdrawn(1_000, at('23:59:59'))])
      .when(withdraw(1_000, at('00:00:00', '2025-03-15')))
      .then([withdrawn(1_000, at('00:00:00', '2025-03-15'))]);
  });

  it('uses the UTC day, not the day of the timestamp offset', () => {
    // 23:30 at UTC-02:00 is 01:30 UTC on the next day.
    const lateEvening = '2025-03-14T23:30:00.000-02:00';
    spec(accountDecider)
      .given([...funded, withdrawn(1_000, at('09:00:00'))])
      .when(withdraw(1_000, lateEvening))
      .then([withdrawn(1_000, lateEvening)]);
  });

  it('gives back the headroom of a refunded transfer debit on the same day', () => {
    spec(accountDecider)
      .given([
        ...funded,
        transferDebited(1_000, TRANSFER, at('08:00:00')),
        transferRefunded(1_000, TRANSFER, at('08:01:00')),
      ])
      .when(withdraw(1_000, at('09:00:00')))
      .then([withdrawn(1_000, at('09:00:00'))]);
  });

  it('still counts the other debits of the day after a refund', () => {
    spec(accountDecider)
      .given([
        ...funded,
        withdrawn(400, at('07:00:00')),
        transferDebited(600, TRANSFER, at('08:00:00')),
        transferRefunded(600, TRANSFER, at('08:01:00')),
      ])
      .when(withdraw(601, at('09:00:00')))
      .thenThrows('DAILY_LIMIT_EXCEEDED');
  });

  it('gives nothing back to a later day when the refund comes after midnight', () => {
    spec(accountDecider)
      .given([
        ...funded,
        transferDebited(1_000, TRANSFER, at('23:59:00')),
        withdrawn(1_000, at('00:00:10', '2025-03-15')),
        transferRefunded(1_000, TRANSFER, at('00:00:20', '2025-03-15')),
      ])
      .when(withdraw(1, at('00:01:00', '2025-03-15')))
      .thenThrows('DAILY_LIMIT_EXCEEDED');
  });

  it('is not affected by deposits', () => {
    spec(accountDecider)
      .given([...funded, withdrawn(1_000, at('08:00:00')), deposited(5_000, at('08:30:00'))])
      .when(withdraw(1, at('09:00:00')))
      .thenThrows('DAILY_LIMIT_EXCEEDED');
  });

  it('counts a debit stamped on an earlier day against the latest day already counted', () => {
    // The saga stamps a transfer debit with the request time, which can precede a withdrawal already applied.
    spec(accountDecider)
      .given([...funded, withdrawn(800, at('00:00:05', '2025-03-15'))])
      .when(debitCommand(300, { now: at('23:59:59') }))
      .thenThrows('DAILY_LIMIT_EXCEEDED');
  });
});
