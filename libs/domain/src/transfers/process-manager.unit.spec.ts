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
  it('debits the source of a requested transfer, at the time the process handles the request', () => {
    expect(react(delivered(requested()), T0)).toStrictEqual([debitSagaCommand]);
  });

  it('books a late step at the time it is decided, not at the time of the request', () => {
    const late = '2025-03-14T09:00:30.000Z';
    const [debit] = react(delivered(requested()), late);
    expect(debit?.command).toMatchObject({ type: 'DebitForTransfer', now: late });
  });

  it('records a source debit on the transfer before crediting the destination', () => {
    const debited: AccountEvent = {
      type: 'ledger.accounts.TransferDebited',
      data: { accountId: FROM, counterpartyAccountId: TO, ...transferStep, debitedAt: LATER },
    };
    expect(react(delivered(debited, 'event-2'), LATER)).toStrictEqual([
      {
        target: 'transfer',
        commandId: `${TRANSFER}:record-debit`,
        streamId: `transfer-${TRANSFER}`,
        causationId: 'event-2',
        command: { type: 'RecordSourceDebited', transferId: TRANSFER, now: LATER, requestedAt: T0 },
      },
      creditSagaCommand,
    ]);
  });

  it('completes a transfer once the destination is credited', () => {
    const credited: AccountEvent = {
      type: 'ledger.accounts.TransferCredited',
      data: { accountId: TO, counterpartyAccountId: FROM, ...transferStep, creditedAt: LATER },
    };
    expect(react(delivered(credited, 'event-3'), LATER)).toStrictEqual([
      {
        target: 'transfer',
        commandId: `${TRANSFER}:complete`,
        streamId: `transfer-${TRANSFER}`,
        causationId: 'event-3',
        command: { type: 'CompleteTransfer', transferId: TRANSFER, now: LATER, requestedAt: T0 },
      },
    ]);
  });

  it('fails a transfer at the credit stage once its source is refunded', () => {
    const refunded: AccountEvent = {
      type: 'ledger.accounts.TransferRefunded',
      data: { accountId: FROM, ...transferStep, refundedAt: LATER },
    };
    expect(react(delivered(refunded, 'event-4'), LATER)).toStrictEqual([
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
          requestedAt: T0,
        },
      },
    ]);
  });

  it.each([sourceDebited(), completed(), creditRefused(), failed('debit')])(
    'issues nothing for $type',
    (event) => {
      expect(react(delivered(event), LATER)).toStrictEqual([]);
    },
  );

  it('issues nothing for account events outside transfers', () => {
    const deposited: AccountEvent = {
      type: 'ledger.accounts.MoneyDeposited',
      data: { accountId: FROM, amount: 1, currency: 'EUR', reference: null, depositedAt: T0 },
    };
    expect(react(delivered(deposited), LATER)).toStrictEqual([]);
  });

  it('issues the same command ids for a redelivered event, whenever it arrives', () => {
    const ids = (now: string) => react(delivered(requested()), now).map((command) => command.commandId);
    expect(ids(LATER)).toStrictEqual(ids(T0));
  });
});
