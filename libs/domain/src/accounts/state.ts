import { assertNever } from '../shared/decider';
import type { MinorUnits } from '../shared/money';
import { utcDay } from '../shared/time';
import type { AccountEvent } from './events';

export type TransferStep = 'debited' | 'credited' | 'refunded';

/**
 * The write model keeps only what decisions need. State is plain JSON so it can be snapshotted as is.
 * `transfers` remembers each transfer step applied here, which makes redelivered saga commands no-ops.
 */
export interface OpenedAccount {
  status: 'open' | 'frozen' | 'closed';
  /** Who owns the account: authorization compares it with the caller, never with a request body. */
  ownerId: string;
  currency: string;
  balance: MinorUnits;
  overdraftLimit: MinorUnits;
  dailyWithdrawalLimit: MinorUnits;
  /** UTC day (YYYY-MM-DD) that `debitedToday` counts; null before the first debit. */
  debitDay: string | null;
  debitedToday: MinorUnits;
  transfers: Readonly<Record<string, TransferMark>>;
}

/**
 * A transfer step applied here. `day` is the UTC day a transfer debit counted towards, so a refund on that
 * same day can give the headroom back; marks from snapshots taken before it was recorded have none.
 */
export interface TransferMark {
  step: TransferStep;
  amount: MinorUnits;
  day?: string;
}

export type AccountState = { status: 'notOpened' } | OpenedAccount;

export const initialAccountState: AccountState = { status: 'notOpened' };

/**
 * The day a debit counts towards: its own UTC day, or the latest day already counted if that is later,
 * so a debit stamped slightly in the past cannot escape the limit of the day it is applied in.
 */
export function debitDayOf(account: OpenedAccount, at: string): string {
  const day = utcDay(at);
  return account.debitDay !== null && account.debitDay > day ? account.debitDay : day;
}

/** Debits already counted on the day a debit at `at` would count towards. */
export function debitedOnDayOf(account: OpenedAccount, at: string): MinorUnits {
  return debitDayOf(account, at) === account.debitDay ? account.debitedToday : 0;
}

function debit(account: OpenedAccount, amount: MinorUnits, at: string): OpenedAccount {
  return {
    ...account,
    balance: account.balance - amount,
    debitDay: debitDayOf(account, at),
    debitedToday: debitedOnDayOf(account, at) + amount,
  };
}

function markTransfer(account: OpenedAccount, transferId: string, mark: TransferMark) {
  return { ...account.transfers, [transferId]: mark };
}

/**
 * A refunded transfer debit no longer counts towards the daily limit, so requesting transfers that are
 * bound to fail cannot exhaust an owner's limit. Only the headroom of the day still being counted comes
 * back; a refund on a later day changes nothing, that day's count never included the debit.
 */
function releaseDebit(
  account: OpenedAccount,
  mark: TransferMark | undefined,
  amount: MinorUnits,
): OpenedAccount {
  if (mark?.day === undefined || mark.day !== account.debitDay) return account;
  return { ...account, debitedToday: Math.max(0, account.debitedToday - amount) };
}

export function evolveAccount(state: AccountState, event: AccountEvent): AccountState {
  if (event.type === 'ledger.accounts.AccountOpened') {
    const { ownerId, currency, overdraftLimit, dailyWithdrawalLimit } = event.data;
    return {
      status: 'open',
      ownerId,
      currency,
      balance: 0,
      overdraftLimit,
      dailyWithdrawalLimit,
      debitDay: null,
      debitedToday: 0,
      transfers: {},
    };
  }
  // Events are recorded facts: a well-formed stream always starts with AccountOpened.
  if (state.status === 'notOpened') return state;

  switch (event.type) {
    case 'ledger.accounts.MoneyDeposited':
      return { ...state, balance: state.balance + event.data.amount };
    case 'ledger.accounts.MoneyWithdrawn':
      return debit(state, event.data.amount, event.data.withdrawnAt);
    case 'ledger.accounts.TransferDebited': {
      const { transferId, amount, debitedAt } = event.data;
      return {
        ...debit(state, amount, debitedAt),
        transfers: markTransfer(state, transferId, {
          step: 'debited',
          amount,
          day: debitDayOf(state, debitedAt),
        }),
      };
    }
    case 'ledger.accounts.TransferCredited': {
      const { transferId, amount } = event.data;
      return {
        ...state,
        balance: state.balance + amount,
        transfers: markTransfer(state, transferId, { step: 'credited', amount }),
      };
    }
    case 'ledger.accounts.TransferRefunded': {
      const { transferId, amount } = event.data;
      return {
        ...releaseDebit(state, state.transfers[transferId], amount),
        balance: state.balance + amount,
        transfers: markTransfer(state, transferId, { step: 'refunded', amount }),
      };
    }
    case 'ledger.accounts.AccountFrozen':
      return { ...state, status: 'frozen' };
    case 'ledger.accounts.AccountUnfrozen':
      return { ...state, status: 'open' };
    case 'ledger.accounts.AccountClosed':
      return { ...state, status: 'closed' };
    default:
      return assertNever(event);
  }
}
