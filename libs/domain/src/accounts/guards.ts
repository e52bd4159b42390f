import { DomainError } from '../shared/errors';
import type { MinorUnits } from '../shared/money';
import { debitedOnDayOf, type AccountState, type OpenedAccount } from './state';

export function requireOpened(state: AccountState, accountId: string): OpenedAccount {
  if (state.status === 'notOpened') {
    throw new DomainError('ACCOUNT_NOT_FOUND', `account ${accountId} does not exist`);
  }
  return state;
}

/** Credits are refused only by a closed account; frozen ones still receive money. */
export function requireNotClosed(account: OpenedAccount, accountId: string): void {
  if (account.status === 'closed') {
    throw new DomainError('ACCOUNT_CLOSED', `account ${accountId} is closed`);
  }
}

export function requireActive(account: OpenedAccount, accountId: string): void {
  requireNotClosed(account, accountId);
  if (account.status === 'frozen') {
    throw new DomainError('ACCOUNT_FROZEN', `account ${accountId} is frozen`);
  }
}

/** Overdraft and daily-limit rules shared by withdrawals and transfer debits. */
export function requireDebitAllowed(account: OpenedAccount, amount: MinorUnits, at: string): void {
  if (account.balance - amount < -account.overdraftLimit) {
    throw new DomainError(
      'INSUFFICIENT_FUNDS',
      `balance ${account.balance} with overdraft limit ${account.overdraftLimit} does not cover ${amount}`,
    );
  }
  const debitedToday = debitedOnDayOf(account, at);
  if (debitedToday + amount > account.dailyWithdrawalLimit) {
    throw new DomainError(
      'DAILY_LIMIT_EXCEEDED',
      `${debitedToday} already debited today; ${amount} more exceeds the limit of ${account.dailyWithdrawalLimit}`,
    );
  }
}
