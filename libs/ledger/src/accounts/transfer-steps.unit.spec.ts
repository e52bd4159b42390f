import { spec } from '@ledger/testing';
import type { CreditForTransfer, DebitForTransfer, RefundTransfer } from './commands';
import { accountDecider } from './decider';
import {
  ACCOUNT,
  ANOTHER_TRANSFER,
  OTHER_ACCOUNT,
  T0,
  TRANSFER,
  closed,
  deposited,
  frozen,
  opened,
  transferCredited,
  transferDebited,
  transferRefunded,
} from './spec-fixtures';

const step = { accountId: ACCOUNT, transferId: TRANSFER, currency: 'EUR', now: T0 };
const counterparty = { counterpartyAccountId: OTHER_ACCOUNT };
const debit = (amount: number, extra: Partial<DebitForTransfer> = {}): DebitForTransfer => ({
  type: 'DebitForTransfer',
  ...step,
  ...counterparty,
  amount,
  ...extra,
});
const credit = (amount: number, extra: Partial<CreditForTransfer> = {}): CreditForTransfer => ({
  type: 'CreditForTransfer',
  ...step,
  ...counterparty,
  amount,
  ...extra,
});
const refund = (amount: number, extra: Partial<RefundTransfer> = {}): RefundTransfer => ({
  type: 'RefundTransfer',
  ...step,
  amount,
  ...extra,
});

const funded = [opened(), deposited(1_000)];

describe('DebitForTransfer', () => {
  it('debits the source', () => {
    spec(accountDecider)
      .given(funded)
      .when(debit(400))
      .then([transferDebited(400)]);
  });

  it('does nothing when the same transfer was already debited', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400)])
      .when(debit(400))
      .then([]);
  });

  it('does nothing when the debit was already refunded', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400), transferRefunded(400)])
      .when(debit(400))
      .then([]);
  });

  it('does nothing for a repeat after the account was frozen', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400), frozen()])
      .when(debit(400))
      .then([]);
  });

  it('refuses a repeat with a different amount', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400)])
      .when(debit(500))
      .thenThrows('INVALID_STATE');
  });

  it('debits a different transfer of the same amount', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400)])
      .when(debit(400, { transferId: ANOTHER_TRANSFER }))
      .then([transferDebited(400, ANOTHER_TRANSFER)]);
  });

  it('refuses to take the balance below the overdraft limit', () => {
    spec(accountDecider).given(funded).when(debit(1_001)).thenThrows('INSUFFICIENT_FUNDS');
  });

  it('refuses a frozen source', () => {
    spec(accountDecider)
      .given([...funded, frozen()])
      .when(debit(1))
      .thenThrows('ACCOUNT_FROZEN');
  });

  it('refuses a closed source', () => {
    spec(accountDecider).given([opened(), closed()]).when(debit(1)).thenThrows('ACCOUNT_CLOSED');
  });

  it('refuses another currency', () => {
    spec(accountDecider)
      .given(funded)
      .when(debit(1, { currency: 'CHF' }))
      .thenThrows('CURRENCY_MISMATCH');
  });

  it('refuses a transfer to the same account', () => {
    spec(accountDecider)
      .given(funded)
      .when(debit(1, { counterpartyAccountId: ACCOUNT }))
      .thenThrows('SAME_ACCOUNT');
  });

  it('refuses a non-positive amount', () => {
    spec(accountDecider).given(funded).when(debit(0)).thenThrows('INVALID_AMOUNT');
  });

  it('refuses a transfer this account was credited for', () => {
    spec(accountDecider)
      .given([...funded, transferCredited(400)])
      .when(debit(400))
      .thenThrows('INVALID_STATE');
  });
});

describe('CreditForTransfer', () => {
  it('credits the destination', () => {
    spec(accountDecider)
      .given([opened()])
      .when(credit(400))
      .then([transferCredited(400)]);
  });

  it('does nothing when the same transfer was already credited', () => {
    spec(accountDecider)
      .given([opened(), transferCredited(400)])
      .when(credit(400))
      .then([]);
  });

  it('refuses a frozen destination, although a plain deposit would be accepted', () => {
    spec(accountDecider).given([opened(), frozen()]).when(credit(400)).thenThrows('ACCOUNT_FROZEN');
  });

  it('refuses a closed destination', () => {
    spec(accountDecider).given([opened(), closed()]).when(credit(400)).thenThrows('ACCOUNT_CLOSED');
  });

  it('refuses another currency', () => {
    spec(accountDecider)
      .given([opened()])
      .when(credit(400, { currency: 'USD' }))
      .thenThrows('CURRENCY_MISMATCH');
  });

  it('refuses a transfer this account was debited for', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400)])
      .when(credit(400))
      .thenThrows('INVALID_STATE');
  });
});

describe('RefundTransfer', () => {
  it('gives the debited amount back to the source', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400)])
      .when(refund(400))
      .then([transferRefunded(400)]);
  });

  it('refunds a source that was frozen after the debit', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400), frozen()])
      .when(refund(400))
      .then([transferRefunded(400)]);
  });

  it('does nothing when the transfer was already refunded', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400), transferRefunded(400)])
      .when(refund(400))
      .then([]);
  });

  it('refuses a transfer that was never debited here', () => {
    spec(accountDecider).given(funded).when(refund(400)).thenThrows('INVALID_STATE');
  });

  it('refuses an amount other than the one debited', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400)])
      .when(refund(500))
      .thenThrows('INVALID_STATE');
  });

  it('refuses a transfer this account was credited for', () => {
    spec(accountDecider)
      .given([opened(), transferCredited(400)])
      .when(refund(400))
      .thenThrows('INVALID_STATE');
  });

  it('refuses a closed source, leaving the amount in flight', () => {
    spec(accountDecider)
      .given([opened(), deposited(400), transferDebited(400), closed()])
      .when(refund(400))
      .thenThrows('ACCOUNT_CLOSED');
  });
});
