import type { AccountEvent } from '../accounts/events';
import { react, REFUNDED_REASON } from './process-manager';
import {
  FROM,
  LATER,
  T0,
  TO,
  TRANSFER,
  completed,
  creditRefused,
  creditSagaCommand,
  debitSagaCommand,
  delivered,
  failed,
  requested,
  sourceDebited,
  transferStep,
} from './spec-fixtures';

describe('react', () => {
  it('debits the source of a requested transfer, at the time it was requested', () => {
    expect(react(delivered(requested()))).toStrictEqual([debitSagaCommand]);
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
      creditSagaCommand,
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
