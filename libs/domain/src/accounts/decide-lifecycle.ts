import { DomainError } from '../shared/errors';
import { assertCurrencyCode, assertNonNegativeAmount, assertPositiveAmount } from '../shared/money';
import type { CloseAccount, FreezeAccount, OpenAccount, UnfreezeAccount } from './commands';
import type { AccountClosed, AccountFrozen, AccountOpened, AccountUnfrozen } from './events';
import { requireNotClosed, requireOpened } from './guards';
import type { AccountState } from './state';

/** Applied to commands that omit it, and to AccountOpened v1 events that predate it. */
export const DEFAULT_DAILY_WITHDRAWAL_LIMIT = 100_000_000;

export function openAccount(command: OpenAccount, state: AccountState): AccountOpened[] {
  if (state.status !== 'notOpened') {
    throw new DomainError('ACCOUNT_ALREADY_OPEN', `account ${command.accountId} already exists`);
  }
  const overdraftLimit = command.overdraftLimit ?? 0;
  const dailyWithdrawalLimit = command.dailyWithdrawalLimit ?? DEFAULT_DAILY_WITHDRAWAL_LIMIT;
  assertCurrencyCode(command.currency);
  assertNonNegativeAmount(overdraftLimit, 'overdraftLimit');
  assertPositiveAmount(dailyWithdrawalLimit, 'dailyWithdrawalLimit');
  return [
    {
      type: 'ledger.accounts.AccountOpened',
      data: {
        accountId: command.accountId,
        ownerId: command.ownerId,
        currency: command.currency,
        overdraftLimit,
        dailyWithdrawalLimit,
        openedAt: command.now,
      },
    },
  ];
}

export function freezeAccount(command: FreezeAccount, state: AccountState): AccountFrozen[] {
  const account = requireOpened(state, command.accountId);
  requireNotClosed(account, command.accountId);
  if (account.status === 'frozen') {
    throw new DomainError('INVALID_STATE', `account ${command.accountId} is already frozen`);
  }
  return [
    {
      type: 'ledger.accounts.AccountFrozen',
      data: { accountId: command.accountId, reason: command.reason, frozenAt: command.now },
    },
  ];
}

export function unfreezeAccount(command: UnfreezeAccount, state: AccountState): AccountUnfrozen[] {
  const account = requireOpened(state, command.accountId);
  requireNotClosed(account, command.accountId);
  if (account.status !== 'frozen') {
    throw new DomainError('INVALID_STATE', `account ${command.accountId} is not frozen`);
  }
  return [
    {
      type: 'ledger.accounts.AccountUnfrozen',
      data: { accountId: command.accountId, unfrozenAt: command.now },
    },
  ];
}

/** A frozen account may be closed too: closing moves no money, and only an empty account closes. */
export function closeAccount(command: CloseAccount, state: AccountState): AccountClosed[] {
  const account = requireOpened(state, command.accountId);
  requireNotClosed(account, command.accountId);
  if (account.balance !== 0) {
    throw new DomainError('NON_ZERO_BALANCE', `account ${command.accountId} has balance ${account.balance}`);
  }
  return [
    { type: 'ledger.accounts.AccountClosed', data: { accountId: command.accountId, closedAt: command.now } },
  ];
}
