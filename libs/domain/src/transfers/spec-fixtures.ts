// Event builders for specs only; not exported from the package.
import type { AccountEvent } from '../accounts/events';
import type { FailedStage, TransferEvent } from './events';
import type { SagaEvent } from './process-manager';
import type { SagaCommand } from './saga-commands';

export const TRANSFER = 'c7e2a1d4-93b8-4b0e-b5f6-1a2b3c4d5e03';
export const FROM = '0b6f5c3e-2f4c-4d39-9a55-2f1e0e0c7a01';
export const TO = '5d0c9b8a-6e41-4f6a-8a31-0c2b7d9e4f02';
export const T0 = '2025-03-14T09:00:00.000Z';

export const requested = (amount = 2_500): TransferEvent => ({
  type: 'ledger.transfers.TransferRequested',
  data: {
    transferId: TRANSFER,
    fromAccountId: FROM,
    toAccountId: TO,
    amount,
    currency: 'EUR',
    requestedAt: T0,
  },
});

export const sourceDebited = (): TransferEvent => ({
  type: 'ledger.transfers.TransferSourceDebited',
  data: { transferId: TRANSFER, debitedAt: T0, requestedAt: T0 },
});

export const completed = (): TransferEvent => ({
  type: 'ledger.transfers.TransferCompleted',
  data: { transferId: TRANSFER, completedAt: T0, requestedAt: T0 },
});

export const creditRefused = (reason = 'ACCOUNT_FROZEN'): TransferEvent => ({
  type: 'ledger.transfers.TransferCreditRefused',
  data: { transferId: TRANSFER, reason, refusedAt: T0, requestedAt: T0 },
});

export const failed = (stage: FailedStage, reason = 'INSUFFICIENT_FUNDS'): TransferEvent => ({
  type: 'ledger.transfers.TransferFailed',
  data: { transferId: TRANSFER, stage, reason, failedAt: T0, requestedAt: T0 },
});

export const LATER = '2025-03-14T09:00:01.000Z';
export const delivered = (event: AccountEvent | TransferEvent, eventId = 'event-1'): SagaEvent => ({
  ...event,
  streamId: 'irrelevant-here',
  eventId,
});
export const transferStep = { transferId: TRANSFER, amount: 2_500, currency: 'EUR', requestedAt: T0 };

export const debitSagaCommand: SagaCommand = {
  target: 'account',
  commandId: `${TRANSFER}:debit`,
  streamId: `account-${FROM}`,
  causationId: 'event-1',
  command: { type: 'DebitForTransfer', accountId: FROM, counterpartyAccountId: TO, ...transferStep, now: T0 },
};
export const creditSagaCommand: SagaCommand = {
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
