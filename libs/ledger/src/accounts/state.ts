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
  transfers: Readonly<Record<string, { step: TransferStep; amount: MinorUnits }>>;
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

function markTransfer(account: OpenedAccount, transferId: string, step: TransferStep, amount: MinorUnits) {
  return { ...account.transfers, [transferId]: { step, amount } };
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
        transfers: markTransfer(state, transferId, 'debited', amount),
      };
    }
    case 'ledger.accounts.TransferCredited': {
      const { transferId, amount } = event.data;
      return {
        ...state,
        balance: state.balance + amount,
        transfers: markTransfer(state, transferId, 'credited', amount),
      };
    }
    case 'ledger.accounts.TransferRefunded': {
      // A refund gives the money back but deliberately does not give back daily-limit headroom.
      const { transferId, amount } = event.data;
      return {
        ...state,
        balance: state.balance + amount,
        transfers: markTransfer(state, transferId, 'refunded', amount),
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
