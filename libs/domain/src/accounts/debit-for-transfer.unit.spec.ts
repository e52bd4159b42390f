import { spec } from '@ledger/testing';
import { accountDecider } from './decider';
import {
  ACCOUNT,
  ANOTHER_TRANSFER,
  closed,
  deposited,
  frozen,
  opened,
  transferCredited,
  transferDebited,
  transferRefunded,
  debitCommand,
} from './spec-fixtures';

const funded = [opened(), deposited(1_000)];

describe('DebitForTransfer', () => {
  it('debits the source', () => {
    spec(accountDecider)
      .given(funded)
      .when(debitCommand(400))
      .then([transferDebited(400)]);
  });

  it('does nothing when the same transfer was already debited', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400)])
      .when(debitCommand(400))
      .then([]);
  });

  it('does nothing when the debit was already refunded', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400), transferRefunded(400)])
      .when(debitCommand(400))
      .then([]);
  });

  it('does nothing for a repeat after the account was frozen', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400), frozen()])
      .when(debitCommand(400))
      .then([]);
  });

  it('refuses a repeat with a different amount', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400)])
      .when(debitCommand(500))
      .thenThrows('INVALID_STATE');
  });

  it('debits a different transfer of the same amount', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400)])
      .when(debitCommand(400, { transferId: ANOTHER_TRANSFER }))
      .then([transferDebited(400, ANOTHER_TRANSFER)]);
  });

  it('refuses to take the balance below the overdraft limit', () => {
    spec(accountDecider).given(funded).when(debitCommand(1_001)).thenThrows('INSUFFICIENT_FUNDS');
  });

  it('refuses a frozen source', () => {
    spec(accountDecider)
      .given([...funded, frozen()])
      .when(debitCommand(1))
      .thenThrows('ACCOUNT_FROZEN');
  });

  it('refuses a closed source', () => {
    spec(accountDecider).given([opened(), closed()]).when(debitCommand(1)).thenThrows('ACCOUNT_CLOSED');
  });

  it('refuses another currency', () => {
    spec(accountDecider)
      .given(funded)
      .when(debitCommand(1, { currency: 'CHF' }))
      .thenThrows('CURRENCY_MISMATCH');
  });

  it('refuses a transfer to the same account', () => {
    spec(accountDecider)
      .given(funded)
      .when(debitCommand(1, { counterpartyAccountId: ACCOUNT }))
      .thenThrows('SAME_ACCOUNT');
  });

  it('refuses a non-positive amount', () => {
    spec(accountDecider).given(funded).when(debitCommand(0)).thenThrows('INVALID_AMOUNT');
  });

  it('refuses a transfer this account was credited for', () => {
    spec(accountDecider)
      .given([...funded, transferCredited(400)])
      .when(debitCommand(400))
      .thenThrows('INVALID_STATE');
  });
});
