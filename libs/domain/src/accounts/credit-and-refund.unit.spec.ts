import { spec } from '@ledger/testing';
import { accountDecider } from './decider';
import {
  closed,
  deposited,
  frozen,
  opened,
  transferCredited,
  transferDebited,
  transferRefunded,
  creditCommand,
  refundCommand,
} from './spec-fixtures';

const funded = [opened(), deposited(1_000)];

describe('CreditForTransfer', () => {
  it('credits the destination', () => {
    spec(accountDecider)
      .given([opened()])
      .when(creditCommand(400))
      .then([transferCredited(400)]);
  });

  it('does nothing when the same transfer was already credited', () => {
    spec(accountDecider)
      .given([opened(), transferCredited(400)])
      .when(creditCommand(400))
      .then([]);
  });

  it('refuses a frozen destination, although a plain deposit would be accepted', () => {
    spec(accountDecider).given([opened(), frozen()]).when(creditCommand(400)).thenThrows('ACCOUNT_FROZEN');
  });

  it('refuses a closed destination', () => {
    spec(accountDecider).given([opened(), closed()]).when(creditCommand(400)).thenThrows('ACCOUNT_CLOSED');
  });

  it('refuses another currency', () => {
    spec(accountDecider)
      .given([opened()])
      .when(creditCommand(400, { currency: 'USD' }))
      .thenThrows('CURRENCY_MISMATCH');
  });

  it('refuses a transfer this account was debited for', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400)])
      .when(creditCommand(400))
      .thenThrows('INVALID_STATE');
  });
});

describe('RefundTransfer', () => {
  it('gives the debited amount back to the source', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400)])
      .when(refundCommand(400))
      .then([transferRefunded(400)]);
  });

  it('refunds a source that was frozen after the debit', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400), frozen()])
      .when(refundCommand(400))
      .then([transferRefunded(400)]);
  });

  it('does nothing when the transfer was already refunded', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400), transferRefunded(400)])
      .when(refundCommand(400))
      .then([]);
  });

  it('refuses a transfer that was never debited here', () => {
    spec(accountDecider).given(funded).when(refundCommand(400)).thenThrows('INVALID_STATE');
  });

  it('refuses an amount other than the one debited', () => {
    spec(accountDecider)
      .given([...funded, transferDebited(400)])
      .when(refundCommand(500))
      .thenThrows('INVALID_STATE');
  });

  it('refuses a transfer this account was credited for', () => {
    spec(accountDecider)
      .given([opened(), transferCredited(400)])
      .when(refundCommand(400))
      .thenThrows('INVALID_STATE');
  });

  it('refuses a closed source, leaving the amount in flight', () => {
    spec(accountDecider)
      .given([opened(), deposited(400), transferDebited(400), closed()])
      .when(refundCommand(400))
      .thenThrows('ACCOUNT_CLOSED');
  });
});
