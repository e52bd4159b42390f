import { DomainError } from '../shared/errors';
import { onCommandRejected } from './process-manager';
import type { SagaCommand } from './saga-commands';
import {
  FROM,
  LATER,
  T0,
  TRANSFER,
  creditSagaCommand,
  debitSagaCommand,
  transferStep,
} from './spec-fixtures';

describe('onCommandRejected', () => {
  it('fails the transfer at the debit stage when the debit is refused', () => {
    const refusal = new DomainError('INSUFFICIENT_FUNDS', 'balance too low');
    expect(onCommandRejected(debitSagaCommand, refusal)).toStrictEqual([
      {
        target: 'transfer',
        commandId: `${TRANSFER}:fail`,
        streamId: `transfer-${TRANSFER}`,
        causationId: `${TRANSFER}:debit`,
        command: {
          type: 'FailTransfer',
          transferId: TRANSFER,
          stage: 'debit',
          reason: 'INSUFFICIENT_FUNDS',
          now: T0,
          requestedAt: T0,
        },
      },
    ]);
  });

  it('records a refused credit, then refunds the source', () => {
    const refusal = new DomainError('ACCOUNT_FROZEN', 'destination frozen');
    expect(onCommandRejected(creditSagaCommand, refusal)).toStrictEqual([
      {
        target: 'transfer',
        commandId: `${TRANSFER}:record-credit-refused`,
        streamId: `transfer-${TRANSFER}`,
        causationId: `${TRANSFER}:credit`,
        command: {
          type: 'RecordCreditRefused',
          transferId: TRANSFER,
          reason: 'ACCOUNT_FROZEN',
          now: LATER,
          requestedAt: T0,
        },
      },
      {
        target: 'account',
        commandId: `${TRANSFER}:refund`,
        streamId: `account-${FROM}`,
        causationId: `${TRANSFER}:credit`,
        command: { type: 'RefundTransfer', accountId: FROM, ...transferStep, now: LATER },
      },
    ]);
  });

  it('leaves other refusals to an operator', () => {
    const refund: SagaCommand = {
      target: 'account',
      commandId: `${TRANSFER}:refund`,
      streamId: `account-${FROM}`,
      causationId: `${TRANSFER}:credit`,
      command: { type: 'RefundTransfer', accountId: FROM, ...transferStep, now: T0 },
    };
    expect(onCommandRejected(refund, new DomainError('ACCOUNT_CLOSED', 'closed'))).toStrictEqual([]);
  });
});
