import { spec } from '@ledger/testing';
import type { TransferCommand } from './commands';
import { transferDecider } from './decider';
import type { TransferEvent } from './events';
import {
  FROM,
  T0,
  TO,
  TRANSFER,
  completed,
  creditRefused,
  failed,
  requested,
  sourceDebited,
} from './spec-fixtures';

const request = (
  overrides: Partial<Extract<TransferCommand, { type: 'RequestTransfer' }>> = {},
): TransferCommand => ({
  type: 'RequestTransfer',
  transferId: TRANSFER,
  fromAccountId: FROM,
  toAccountId: TO,
  amount: 2_500,
  currency: 'EUR',
  now: T0,
  ...overrides,
});
const recordDebit: TransferCommand = {
  type: 'RecordSourceDebited',
  transferId: TRANSFER,
  now: T0,
  requestedAt: T0,
};
const complete: TransferCommand = {
  type: 'CompleteTransfer',
  transferId: TRANSFER,
  now: T0,
  requestedAt: T0,
};
const refuseCredit: TransferCommand = {
  type: 'RecordCreditRefused',
  transferId: TRANSFER,
  reason: 'ACCOUNT_FROZEN',
  now: T0,
  requestedAt: T0,
};
const fail = (stage: 'debit' | 'credit', reason = 'INSUFFICIENT_FUNDS'): TransferCommand => ({
  type: 'FailTransfer',
  transferId: TRANSFER,
  stage,
  reason,
  now: T0,
  requestedAt: T0,
});

// Histories at each point of the state machine.
const REQUESTED = [requested()];
const DEBITED = [...REQUESTED, sourceDebited()];
const COMPLETED = [...DEBITED, completed()];
const CREDIT_REFUSED = [...DEBITED, creditRefused()];
const FAILED_AT_CREDIT = [...CREDIT_REFUSED, failed('credit', 'ACCOUNT_FROZEN')];
const FAILED_AT_DEBIT = [...REQUESTED, failed('debit')];

describe('RequestTransfer', () => {
  it('requests a transfer', () => {
    spec(transferDecider).given([]).when(request()).then([requested()]);
  });

  it('refuses a transfer id that is already taken', () => {
    spec(transferDecider).given(REQUESTED).when(request()).thenThrows('TRANSFER_ALREADY_EXISTS');
  });

  it('refuses a transfer from an account to itself', () => {
    spec(transferDecider)
      .given([])
      .when(request({ toAccountId: FROM }))
      .thenThrows('SAME_ACCOUNT');
  });

  it.each([0, -1, 2.5])('refuses the amount %p', (amount) => {
    spec(transferDecider).given([]).when(request({ amount })).thenThrows('INVALID_AMOUNT');
  });

  it('refuses a malformed currency', () => {
    spec(transferDecider)
      .given([])
      .when(request({ currency: 'euro' }))
      .thenThrows('INVALID_CURRENCY');
  });
});

describe('the transfer state machine', () => {
  const moves: [string, TransferEvent[], TransferCommand, TransferEvent[]][] = [
    ['records the source debit of a requested transfer', REQUESTED, recordDebit, [sourceDebited()]],
    ['completes a debited transfer', DEBITED, complete, [completed()]],
    ['records a refused credit of a debited transfer', DEBITED, refuseCredit, [creditRefused()]],
    ['fails a requested transfer at the debit', REQUESTED, fail('debit'), [failed('debit')]],
    [
      'fails a refunded transfer at the credit',
      CREDIT_REFUSED,
      fail('credit', 'ACCOUNT_FROZEN'),
      [failed('credit', 'ACCOUNT_FROZEN')],
    ],
  ];
  it.each(moves)('%s', (_name, given, command, expected) => {
    spec(transferDecider).given(given).when(command).then(expected);
  });

  const repeats: [string, TransferEvent[], TransferCommand][] = [
    ['a source debit already recorded', DEBITED, recordDebit],
    ['a source debit recorded before completion', COMPLETED, recordDebit],
    ['a source debit recorded before the credit was refused', FAILED_AT_CREDIT, recordDebit],
    ['a completion', COMPLETED, complete],
    ['a refused credit', CREDIT_REFUSED, refuseCredit],
    ['a refused credit after the transfer failed', FAILED_AT_CREDIT, refuseCredit],
    ['a failure at the debit', FAILED_AT_DEBIT, fail('debit')],
    ['a failure at the credit', FAILED_AT_CREDIT, fail('credit')],
  ];
  it.each(repeats)('ignores a repeat of %s', (_name, given, command) => {
    spec(transferDecider).given(given).when(command).then([]);
  });

  const impossible: [string, TransferEvent[], TransferCommand][] = [
    ['complete a transfer whose source is not debited', REQUESTED, complete],
    ['complete a transfer whose credit was refused', CREDIT_REFUSED, complete],
    ['complete a failed transfer', FAILED_AT_CREDIT, complete],
    ['record a refused credit before the source is debited', REQUESTED, refuseCredit],
    ['record a refused credit of a completed transfer', COMPLETED, refuseCredit],
    ['record a debit on a transfer whose debit failed', FAILED_AT_DEBIT, recordDebit],
    ['fail at the debit once the source is debited', DEBITED, fail('debit')],
    ['fail at the credit before the credit was refused', DEBITED, fail('credit')],
    ['fail a completed transfer', COMPLETED, fail('credit')],
    ['fail at the credit a transfer that failed at the debit', FAILED_AT_DEBIT, fail('credit')],
  ];
  it.each(impossible)('refuses to %s', (_name, given, command) => {
    spec(transferDecider).given(given).when(command).thenThrows('INVALID_STATE');
  });

  it.each([recordDebit, complete, refuseCredit, fail('debit')])(
    'refuses $type on an unknown transfer',
    (command) => {
      spec(transferDecider).given([]).when(command).thenThrows('TRANSFER_NOT_FOUND');
    },
  );
});
