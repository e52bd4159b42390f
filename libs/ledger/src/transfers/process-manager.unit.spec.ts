import type { AccountEvent } from '../accounts/events';
import { DomainError } from '../shared/errors';
import type { TransferEvent } from './events';
import {
  onCommandRejected,
  react,
  REFUNDED_REASON,
  type SagaCommand,
  type SagaEvent,
} from './process-manager';
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

const LATER = '2025-03-14T09:00:01.000Z';
const delivered = (event: AccountEvent | TransferEvent, eventId = 'event-1'): SagaEvent => ({
  ...event,
  streamId: 'irrelevant-here',
  eventId,
});
const transferStep = { transferId: TRANSFER, amount: 2_500, currency: 'EUR' };

const debit: SagaCommand = {
  target: 'account',
  commandId: `${TRANSFER}:debit`,
  streamId: `account-${FROM}`,
  causationId: 'event-1',
  command: { type: 'DebitForTransfer', accountId: FROM, counterpartyAccountId: TO, ...transferStep, now: T0 },
};
const credit: SagaCommand = {
  target: 'account',
  commandId: `${TRANSFER}:credit`,
  streamId: `account-${TO}`,
  causationId: 'event-2',
  command: {
    type: 'CreditForTransfer',
    accountId: TO,
    counterpartyAccountId: FROM,
    ...transferStep,
    now: LATER,
  },
};

describe('react', () => {
  it('debits the source of a requested transfer, at the time it was requested', () => {
    expect(react(delivered(requested()))).toStrictEqual([debit]);
  });

  it('records a source debit on the transfer before crediting the destination', () => {
    const debited: AccountEvent = {
      type: 'ledger.accounts.TransferDebited',
      data: { accountId: FROM, counterpartyAccountId: TO, ...transferStep, debitedAt: LATER },
    };
    expect(react(delivered(debited, 'event-2'))).toStrictEqual([
      {
        target: 'transfer',
        commandId: `${TRANSFER}:record-debit`,
        streamId: `transfer-${TRANSFER}`,
        causationId: 'event-2',
        command: { type: 'RecordSourceDebited', transferId: TRANSFER, now: LATER },
      },
      credit,
    ]);
  });

  it('completes a transfer once the destination is credited', () => {
    const credited: AccountEvent = {
      type: 'ledger.accounts.TransferCredited',
      data: { accountId: TO, counterpartyAccountId: FROM, ...transferStep, creditedAt: LATER },
    };
    expect(react(delivered(credited, 'event-3'))).toStrictEqual([
      {
        target: 'transfer',
        commandId: `${TRANSFER}:complete`,
        streamId: `transfer-${TRANSFER}`,
        causationId: 'event-3',
        command: { type: 'CompleteTransfer', transferId: TRANSFER, now: LATER },
      },
    ]);
  });

  it('fails a transfer at the credit stage once its source is refunded', () => {
    const refunded: AccountEvent = {
      type: 'ledger.accounts.TransferRefunded',
      data: { accountId: FROM, ...transferStep, refundedAt: LATER },
    };
    expect(react(delivered(refunded, 'event-4'))).toStrictEqual([
      {
        target: 'transfer',
        commandId: `${TRANSFER}:fail`,
        streamId: `transfer-${TRANSFER}`,
        causationId: 'event-4',
        command: {
          type: 'FailTransfer',
          transferId: TRANSFER,
          stage: 'credit',
          reason: REFUNDED_REASON,
          now: LATER,
        },
      },
    ]);
  });

  it.each([sourceDebited(), completed(), creditRefused(), failed('debit')])(
    'issues nothing for $type',
    (event) => {
      expect(react(delivered(event))).toStrictEqual([]);
    },
  );

  it('issues nothing for account events outside transfers', () => {
    const deposited: AccountEvent = {
      type: 'ledger.accounts.MoneyDeposited',
      data: { accountId: FROM, amount: 1, currency: 'EUR', reference: null, depositedAt: T0 },
    };
    expect(react(delivered(deposited))).toStrictEqual([]);
  });

  it('issues identical commands for a redelivered event', () => {
    expect(react(delivered(requested()))).toStrictEqual(react(delivered(requested())));
  });
});

describe('onCommandRejected', () => {
  it('fails the transfer at the debit stage when the debit is refused', () => {
    const refusal = new DomainError('INSUFFICIENT_FUNDS', 'balance too low');
    expect(onCommandRejected(debit, refusal)).toStrictEqual([
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
        },
      },
    ]);
  });

  it('records a refused credit, then refunds the source', () => {
    const refusal = new DomainError('ACCOUNT_FROZEN', 'destination frozen');
    expect(onCommandRejected(credit, refusal)).toStrictEqual([
      {
        target: 'transfer',
        commandId: `${TRANSFER}:record-credit-refused`,
        streamId: `transfer-${TRANSFER}`,
        causationId: `${TRANSFER}:credit`,
        command: { type: 'RecordCreditRefused', transferId: TRANSFER, reason: 'ACCOUNT_FROZEN', now: LATER },
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
      ...debit,
      commandId: `${TRANSFER}:refund`,
      command: { type: 'RefundTransfer', accountId: FROM, ...transferStep, now: T0 },
    };
    expect(onCommandRejected(refund, new DomainError('ACCOUNT_CLOSED', 'closed'))).toStrictEqual([]);
  });
});
