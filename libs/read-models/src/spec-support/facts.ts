import type { CurrentEventData, EventType } from '@ledger/contracts';

/** An event before it is recorded: its type and data, current version. */
export type Fact = { [T in EventType]: { type: T; data: CurrentEventData[T] } }[EventType];

const fact = <T extends EventType>(type: T, data: CurrentEventData[T]) => ({ type, data }) as Fact;

/** The facts of one account; amounts in minor units, times ISO-8601. */
export const account = (accountId: string, currency = 'EUR') => ({
  opened: (
    openedAt: string,
    fields: { ownerId?: string; overdraftLimit?: number; dailyWithdrawalLimit?: number } = {},
  ) =>
    fact('ledger.accounts.AccountOpened', {
      accountId,
      ownerId: fields.ownerId ?? `owner-${accountId.slice(0, 8)}`,
      currency,
      overdraftLimit: fields.overdraftLimit ?? 0,
      dailyWithdrawalLimit: fields.dailyWithdrawalLimit ?? 1_000_000,
      openedAt,
    }),
  deposited: (amount: number, depositedAt: string, reference: string | null = null) =>
    fact('ledger.accounts.MoneyDeposited', { accountId, amount, currency, reference, depositedAt }),
  withdrawn: (amount: number, withdrawnAt: string, reference: string | null = null) =>
    fact('ledger.accounts.MoneyWithdrawn', { accountId, amount, currency, reference, withdrawnAt }),
  debited: (
    transferId: string,
    amount: number,
    counterpartyAccountId: string,
    debitedAt: string,
    requestedAt: string | null = null,
  ) =>
    fact('ledger.accounts.TransferDebited', {
      accountId,
      transferId,
      amount,
      currency,
      counterpartyAccountId,
      debitedAt,
      requestedAt,
    }),
  credited: (
    transferId: string,
    amount: number,
    counterpartyAccountId: string,
    creditedAt: string,
    requestedAt: string | null = null,
  ) =>
    fact('ledger.accounts.TransferCredited', {
      accountId,
      transferId,
      amount,
      currency,
      counterpartyAccountId,
      creditedAt,
      requestedAt,
    }),
  refunded: (transferId: string, amount: number, refundedAt: string, requestedAt: string | null = null) =>
    fact('ledger.accounts.TransferRefunded', {
      accountId,
      transferId,
      amount,
      currency,
      refundedAt,
      requestedAt,
    }),
  frozen: (reason: string, frozenAt: string) =>
    fact('ledger.accounts.AccountFrozen', { accountId, reason, frozenAt }),
  unfrozen: (unfrozenAt: string) => fact('ledger.accounts.AccountUnfrozen', { accountId, unfrozenAt }),
  closed: (closedAt: string) => fact('ledger.accounts.AccountClosed', { accountId, closedAt }),
});

/** The facts of one transfer. */
export const transfer = (transferId: string) => ({
  requested: (
    fromAccountId: string,
    toAccountId: string,
    amount: number,
    requestedAt: string,
    currency = 'EUR',
  ) =>
    fact('ledger.transfers.TransferRequested', {
      transferId,
      fromAccountId,
      toAccountId,
      amount,
      currency,
      requestedAt,
    }),
  sourceDebited: (debitedAt: string, requestedAt: string | null = null) =>
    fact('ledger.transfers.TransferSourceDebited', { transferId, debitedAt, requestedAt }),
  completed: (completedAt: string, requestedAt: string | null = null) =>
    fact('ledger.transfers.TransferCompleted', { transferId, completedAt, requestedAt }),
  creditRefused: (reason: string, refusedAt: string, requestedAt: string | null = null) =>
    fact('ledger.transfers.TransferCreditRefused', { transferId, reason, refusedAt, requestedAt }),
  failed: (stage: 'debit' | 'credit', reason: string, failedAt: string, requestedAt: string | null = null) =>
    fact('ledger.transfers.TransferFailed', { transferId, stage, reason, failedAt, requestedAt }),
});
