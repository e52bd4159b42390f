// Event builders for specs only; kept beside the specs and not exported from the package.
import type { CreditForTransfer, DebitForTransfer, RefundTransfer } from './commands';
import type {
  AccountClosed,
  AccountFrozen,
  AccountOpened,
  AccountOpenedData,
  AccountUnfrozen,
  MoneyDeposited,
  MoneyWithdrawn,
  TransferCredited,
  TransferDebited,
  TransferRefunded,
} from './events';

export const ACCOUNT = '0b6f5c3e-2f4c-4d39-9a55-2f1e0e0c7a01';
export const OTHER_ACCOUNT = '5d0c9b8a-6e41-4f6a-8a31-0c2b7d9e4f02';
export const TRANSFER = 'c7e2a1d4-93b8-4b0e-b5f6-1a2b3c4d5e03';
export const ANOTHER_TRANSFER = 'e1f2a3b4-c5d6-4e7f-8091-a2b3c4d5e604';
export const OWNER = 'owner-42';
/** A morning in UTC; later instants on the same day are derived with `at`. */
export const T0 = '2025-03-14T09:00:00.000Z';
export const at = (time: string, day = '2025-03-14'): string => `${day}T${time}.000Z`;

export const opened = (overrides: Partial<AccountOpenedData> = {}): AccountOpened => ({
  type: 'ledger.accounts.AccountOpened',
  data: {
    accountId: ACCOUNT,
    ownerId: OWNER,
    currency: 'EUR',
    overdraftLimit: 0,
    dailyWithdrawalLimit: 100_000_000,
    openedAt: T0,
    ...overrides,
  },
});

export const deposited = (amount: number, when = T0): MoneyDeposited => ({
  type: 'ledger.accounts.MoneyDeposited',
  data: { accountId: ACCOUNT, amount, currency: 'EUR', reference: null, depositedAt: when },
});

export const withdrawn = (amount: number, when = T0): MoneyWithdrawn => ({
  type: 'ledger.accounts.MoneyWithdrawn',
  data: { accountId: ACCOUNT, amount, currency: 'EUR', reference: null, withdrawnAt: when },
});

export const transferDebited = (amount: number, transferId = TRANSFER, when = T0): TransferDebited => ({
  type: 'ledger.accounts.TransferDebited',
  data: {
    accountId: ACCOUNT,
    transferId,
    amount,
    currency: 'EUR',
    counterpartyAccountId: OTHER_ACCOUNT,
    debitedAt: when,
    requestedAt: T0,
  },
});

export const transferCredited = (amount: number, transferId = TRANSFER, when = T0): TransferCredited => ({
  type: 'ledger.accounts.TransferCredited',
  data: {
    accountId: ACCOUNT,
    transferId,
    amount,
    currency: 'EUR',
    counterpartyAccountId: OTHER_ACCOUNT,
    creditedAt: when,
    requestedAt: T0,
  },
});

export const transferRefunded = (amount: number, transferId = TRANSFER, when = T0): TransferRefunded => ({
  type: 'ledger.accounts.TransferRefunded',
  data: { accountId: ACCOUNT, transferId, amount, currency: 'EUR', refundedAt: when, requestedAt: T0 },
});

export const frozen = (reason = 'suspected fraud'): AccountFrozen => ({
  type: 'ledger.accounts.AccountFrozen',
  data: { accountId: ACCOUNT, reason, frozenAt: T0 },
});

export const unfrozen = (): AccountUnfrozen => ({
  type: 'ledger.accounts.AccountUnfrozen',
  data: { accountId: ACCOUNT, unfrozenAt: T0 },
});

export const closed = (): AccountClosed => ({
  type: 'ledger.accounts.AccountClosed',
  data: { accountId: ACCOUNT, closedAt: T0 },
});

const transferStep = { accountId: ACCOUNT, transferId: TRANSFER, currency: 'EUR', now: T0, requestedAt: T0 };
const counterparty = { counterpartyAccountId: OTHER_ACCOUNT };
export const debitCommand = (amount: number, extra: Partial<DebitForTransfer> = {}): DebitForTransfer => ({
  type: 'DebitForTransfer',
  ...transferStep,
  ...counterparty,
  amount,
  ...extra,
});
export const creditCommand = (amount: number, extra: Partial<CreditForTransfer> = {}): CreditForTransfer => ({
  type: 'CreditForTransfer',
  ...transferStep,
  ...counterparty,
  amount,
  ...extra,
});
export const refundCommand = (amount: number, extra: Partial<RefundTransfer> = {}): RefundTransfer => ({
  type: 'RefundTransfer',
  ...transferStep,
  amount,
  ...extra,
});
