import { accountDecider, accountStreamId, AccountState, DomainError, OpenedAccount } from '@ledger/domain';
import { EventStore, loadAggregate } from '@ledger/event-store';

async function openedAccount(
  store: EventStore,
  accountId: string,
  role: string,
  authorize?: (state: AccountState) => void,
): Promise<OpenedAccount> {
  const { state } = await loadAggregate(store, accountDecider, accountStreamId(accountId));
  authorize?.(state);
  if (state.status === 'notOpened')
    throw new DomainError('ACCOUNT_NOT_FOUND', `${role} account ${accountId} does not exist`);
  return state;
}

/**
 * Refuses at request time a transfer that could only end in a refund: an unknown account on either side,
 * a frozen or closed source, a closed destination, currencies that differ. A frozen destination is accepted
 * and refunded by the saga: a freeze is a compliance hold, not something to tell the payer (ADR 0008). Returns the transfer's currency (the source's).
 * These are checks, not guarantees: the accounts can change before the saga acts, and the saga still
 * refuses and refunds then. A transfer to itself is left to the transfer decider (SAME_ACCOUNT).
 */
export async function checkTransferAccounts(
  store: EventStore,
  transfer: { fromAccountId: string; toAccountId: string; currency?: string },
  /** Ownership of the source, judged on the account as loaded, before anything else is said about it. */
  authorizeSource?: (state: AccountState) => void,
): Promise<string> {
  const { fromAccountId, toAccountId } = transfer;
  const source = await openedAccount(store, fromAccountId, 'source', authorizeSource);
  const currency = transfer.currency ?? source.currency;
  if (fromAccountId === toAccountId) return currency;
  if (source.status !== 'open') {
    const code = source.status === 'closed' ? 'ACCOUNT_CLOSED' : 'ACCOUNT_FROZEN';
    throw new DomainError(code, `source account ${fromAccountId} is ${source.status}`);
  }
  if (source.currency !== currency) {
    throw new DomainError(
      'CURRENCY_MISMATCH',
      `source account ${fromAccountId} holds ${source.currency}, the transfer is in ${currency}`,
    );
  }
  const destination = await openedAccount(store, toAccountId, 'destination');
  if (destination.status === 'closed') {
    throw new DomainError('ACCOUNT_CLOSED', `destination account ${toAccountId} is closed`);
  }
  if (destination.currency !== currency) {
    throw new DomainError(
      'CURRENCY_MISMATCH',
      `destination account ${toAccountId} holds ${destination.currency}, the transfer is in ${currency}`,
    );
  }
  return currency;
}
