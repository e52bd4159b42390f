import { DomainError } from '../shared/errors';
import { assertCreditFits, assertPositiveAmount, assertSameCurrency, type MinorUnits } from '../shared/money';
import type { CreditForTransfer, DebitForTransfer, RefundTransfer } from './commands';
import type { TransferCredited, TransferDebited, TransferRefunded } from './events';
import { requireActive, requireDebitAllowed, requireNotClosed, requireOpened } from './guards';
import type { AccountState, OpenedAccount, TransferStep } from './state';

// The saga delivers each step at least once. A step already applied for the same transfer and amount
// yields no events, so a redelivery never moves money twice; anything else under that id is a conflict.

type StepCheck = 'apply' | 'alreadyApplied';

function checkStep(
  account: OpenedAccount,
  transferId: string,
  amount: MinorUnits,
  applyAfter: TransferStep | null,
  doneWhen: readonly TransferStep[],
): StepCheck {
  const mark = account.transfers[transferId];
  if (mark !== undefined && mark.amount !== amount) {
    throw new DomainError(
      'INVALID_STATE',
      `transfer ${transferId} was recorded here with amount ${mark.amount}`,
    );
  }
  const step = mark?.step ?? null;
  if (step !== null && doneWhen.includes(step)) return 'alreadyApplied';
  if (step !== applyAfter) {
    throw new DomainError('INVALID_STATE', `transfer ${transferId} is ${step ?? 'unknown'} on this account`);
  }
  return 'apply';
}

function requireDistinct(accountId: string, counterpartyAccountId: string): void {
  if (accountId === counterpartyAccountId) {
    throw new DomainError('SAME_ACCOUNT', `account ${accountId} cannot transfer to itself`);
  }
}

export function debitForTransfer(command: DebitForTransfer, state: AccountState): TransferDebited[] {
  const { accountId, transferId, amount, currency, counterpartyAccountId, now, requestedAt } = command;
  assertPositiveAmount(amount);
  requireDistinct(accountId, counterpartyAccountId);
  const account = requireOpened(state, accountId);
  if (checkStep(account, transferId, amount, null, ['debited', 'refunded']) === 'alreadyApplied') return [];
  requireActive(account, accountId);
  assertSameCurrency(account.currency, currency);
  requireDebitAllowed(account, amount, now);
  return [
    {
      type: 'ledger.accounts.TransferDebited',
      data: { accountId, transferId, amount, currency, counterpartyAccountId, debitedAt: now, requestedAt },
    },
  ];
}

/** Unlike a deposit, a transfer credit is refused by a frozen account; the saga then refunds the source. */
export function creditForTransfer(command: CreditForTransfer, state: AccountState): TransferCredited[] {
  const { accountId, transferId, amount, currency, counterpartyAccountId, now, requestedAt } = command;
  assertPositiveAmount(amount);
  requireDistinct(accountId, counterpartyAccountId);
  const account = requireOpened(state, accountId);
  if (checkStep(account, transferId, amount, null, ['credited']) === 'alreadyApplied') return [];
  requireActive(account, accountId);
  assertSameCurrency(account.currency, currency);
  assertCreditFits(account.balance, amount);
  return [
    {
      type: 'ledger.accounts.TransferCredited',
      data: { accountId, transferId, amount, currency, counterpartyAccountId, creditedAt: now, requestedAt },
    },
  ];
}

/**
 * Returns a debited amount to its owner. Only a debit recorded here, for the same amount, can be refunded.
 * A frozen source still takes its money back; a closed one refuses it (it accepts nothing), which leaves the
 * amount in flight for an operator to resolve.
 */
export function refundTransfer(command: RefundTransfer, state: AccountState): TransferRefunded[] {
  const { accountId, transferId, amount, currency, now, requestedAt } = command;
  assertPositiveAmount(amount);
  const account = requireOpened(state, accountId);
  if (checkStep(account, transferId, amount, 'debited', ['refunded']) === 'alreadyApplied') return [];
  requireNotClosed(account, accountId);
  assertSameCurrency(account.currency, currency);
  assertCreditFits(account.balance, amount);
  return [
    {
      type: 'ledger.accounts.TransferRefunded',
      data: { accountId, transferId, amount, currency, refundedAt: now, requestedAt },
    },
  ];
}
