import { assertCreditFits, assertPositiveAmount, assertSameCurrency } from '../shared/money';
import type { DepositMoney, WithdrawMoney } from './commands';
import type { MoneyDeposited, MoneyWithdrawn } from './events';
import { requireActive, requireDebitAllowed, requireNotClosed, requireOpened } from './guards';
import type { AccountState } from './state';

export function depositMoney(command: DepositMoney, state: AccountState): MoneyDeposited[] {
  assertPositiveAmount(command.amount);
  const account = requireOpened(state, command.accountId);
  requireNotClosed(account, command.accountId);
  const currency = command.currency ?? account.currency;
  assertSameCurrency(account.currency, currency);
  assertCreditFits(account.balance, command.amount);
  return [
    {
      type: 'ledger.accounts.MoneyDeposited',
      data: {
        accountId: command.accountId,
        amount: command.amount,
        currency,
        reference: command.reference ?? null,
        depositedAt: command.now,
      },
    },
  ];
}

export function withdrawMoney(command: WithdrawMoney, state: AccountState): MoneyWithdrawn[] {
  assertPositiveAmount(command.amount);
  const account = requireOpened(state, command.accountId);
  requireActive(account, command.accountId);
  const currency = command.currency ?? account.currency;
  assertSameCurrency(account.currency, currency);
  requireDebitAllowed(account, command.amount, command.now);
  return [
    {
      type: 'ledger.accounts.MoneyWithdrawn',
      data: {
        accountId: command.accountId,
        amount: command.amount,
        currency,
        reference: command.reference ?? null,
        withdrawnAt: command.now,
      },
    },
  ];
}
