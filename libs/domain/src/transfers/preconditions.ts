import { DomainError } from '../shared/errors';
import type { AccountState, OpenedAccount } from '../accounts/state';
import type { RequestTransfer } from './commands';

function opened(state: AccountState, role: string, accountId: string): OpenedAccount {
  if (state.status === 'notOpened')
    throw new DomainError('ACCOUNT_NOT_FOUND', `${role} account ${accountId} does not exist`);
  return state;
}

/**
 * Refuses at request time a transfer that could only end in a refund: an unknown account on either side,
 * a frozen or closed source, a closed destination, currencies that differ. A frozen destination is accepted
 * and refunded by the saga: a freeze is a compliance hold, not something to tell the payer (ADR 0008).
 * Completes the request with its currency (the source's when omitted). These are checks, not guarantees:
 * the accounts can change before the saga acts, and the saga still refuses and refunds then. A transfer to
 * itself is left to the transfer decider (SAME_ACCOUNT).
 */
export function checkTransferAccounts(
  command: RequestTransfer,
  source: AccountState,
  destination: AccountState,
): RequestTransfer {
  const { fromAccountId, toAccountId } = command;
  const from = opened(source, 'source', fromAccountId);
  const currency = command.currency ?? from.currency;
  if (fromAccountId === toAccountId) return { ...command, currency };
  if (from.status !== 'open') {
    const code = from.status === 'closed' ? 'ACCOUNT_CLOSED' : 'ACCOUNT_FROZEN';
    throw new DomainError(code, `source account ${fromAccountId} is ${from.status}`);
  }
  if (from.currency !== currency) {
    throw new DomainError(
      'CURRENCY_MISMATCH',
      `source account ${fromAccountId} holds ${from.currency}, the transfer is in ${currency}`,
    );
  }
  const to = opened(destination, 'destination', toAccountId);
  if (to.status === 'closed')
    throw new DomainError('ACCOUNT_CLOSED', `destination account ${toAccountId} is closed`);
  if (to.currency !== currency) {
    throw new DomainError(
      'CURRENCY_MISMATCH',
      `destination account ${toAccountId} holds ${to.currency}, the transfer is in ${currency}`,
    );
  }
  return { ...command, currency };
}
