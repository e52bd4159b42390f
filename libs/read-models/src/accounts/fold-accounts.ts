import { accountStreamId, assertNever } from '@ledger/domain';
import { ReadModelError } from '../errors';
import type { AccountEvent, LedgerEvent } from '../events';
import { addMinorUnits, minorUnits } from '../minor-units';
import type { AccountSummary, StatementEntry, StatementEntryKind } from './account-rows';

/** What a batch changes: the final summary of every account it touched, and its new statement entries. */
export interface AccountChanges {
  summaries: AccountSummary[];
  entries: StatementEntry[];
}

/**
 * Folds a batch of account events, in order, over the stored summaries of the accounts it touches.
 * Several events of one account in a batch each see the balance the previous one left, so the running
 * `balance_after` is exact without a round trip per event. `debitCounterparties` maps transfers debited
 * before the batch to their destination account: a refund names its counterparty from the debit.
 */
export function foldAccountEvents(
  stored: ReadonlyMap<string, AccountSummary>,
  events: readonly AccountEvent[],
  debitCounterparties: ReadonlyMap<string, string> = new Map(),
): AccountChanges {
  const summaries = new Map(stored);
  const touched = new Set<string>();
  const counterparties = new Map(debitCounterparties);
  const entries: StatementEntry[] = [];

  for (const event of events) {
    const { accountId } = event.data;
    if (event.streamId !== accountStreamId(accountId)) {
      throw new ReadModelError(
        'stream-mismatch',
        `${event.type} of account ${accountId} in stream ${event.streamId}`,
      );
    }
    const before = summaries.get(accountId);
    if (event.type === 'ledger.accounts.AccountOpened') {
      if (before) throw new ReadModelError('already-created', `account ${accountId} is already open`);
      summaries.set(accountId, opened(event));
    } else {
      if (!before)
        throw new ReadModelError('not-created', `${event.type} for account ${accountId}, never opened`);
      if (event.type === 'ledger.accounts.TransferDebited') {
        counterparties.set(event.data.transferId, event.data.counterpartyAccountId);
      }
      const { summary, entry } = evolve(before, event, counterparties);
      summaries.set(accountId, summary);
      if (entry) entries.push(entry);
    }
    touched.add(accountId);
  }
  return { summaries: [...touched].map((id) => summaries.get(id)!), entries };
}

function opened(event: LedgerEvent<'ledger.accounts.AccountOpened'>): AccountSummary {
  const { data } = event;
  return {
    accountId: data.accountId,
    ownerId: data.ownerId,
    currency: data.currency,
    balance: 0,
    overdraftLimit: minorUnits(data.overdraftLimit, 'overdraftLimit'),
    dailyWithdrawalLimit: minorUnits(data.dailyWithdrawalLimit, 'dailyWithdrawalLimit'),
    status: 'open',
    freezeReason: null,
    version: event.streamVersion,
    lastGlobalPosition: event.globalPosition,
    openedAt: data.openedAt,
    openedRecordedAt: event.recordedAt,
    updatedAt: data.openedAt,
  };
}

type Step = { summary: AccountSummary; entry?: StatementEntry };

function evolve(
  before: AccountSummary,
  event: Exclude<AccountEvent, LedgerEvent<'ledger.accounts.AccountOpened'>>,
  counterparties: ReadonlyMap<string, string>,
): Step {
  const at = (updatedAt: string, change: Partial<AccountSummary> = {}): AccountSummary => ({
    ...before,
    ...change,
    version: event.streamVersion,
    lastGlobalPosition: event.globalPosition,
    updatedAt,
  });
  const move = (
    kind: StatementEntryKind,
    sign: 1 | -1,
    money: { amount: number; currency: string },
    occurredAt: string,
    link: Partial<StatementEntry> = {},
  ): Step => {
    const amount = sign * minorUnits(money.amount, `${event.type} amount`);
    const balance = addMinorUnits(before.balance, amount, `balance of account ${before.accountId}`);
    const entry: StatementEntry = {
      accountId: before.accountId,
      streamVersion: event.streamVersion,
      eventId: event.eventId,
      kind,
      amount,
      balanceAfter: balance,
      currency: money.currency,
      reference: null,
      transferId: null,
      counterpartyAccountId: null,
      occurredAt,
      recordedAt: event.recordedAt,
      globalPosition: event.globalPosition,
      ...link,
    };
    return { summary: at(occurredAt, { balance }), entry };
  };

  switch (event.type) {
    case 'ledger.accounts.MoneyDeposited':
      return move('deposit', 1, event.data, event.data.depositedAt, { reference: event.data.reference });
    case 'ledger.accounts.MoneyWithdrawn':
      return move('withdrawal', -1, event.data, event.data.withdrawnAt, { reference: event.data.reference });
    case 'ledger.accounts.TransferDebited':
      return move('transfer_debit', -1, event.data, event.data.debitedAt, transferLink(event.data));
    case 'ledger.accounts.TransferCredited':
      return move('transfer_credit', 1, event.data, event.data.creditedAt, transferLink(event.data));
    case 'ledger.accounts.TransferRefunded': {
      const { transferId, refundedAt } = event.data;
      // The refund event does not name the destination; the debit it reverses did.
      const counterpartyAccountId = counterparties.get(transferId) ?? null;
      return move('transfer_refund', 1, event.data, refundedAt, { transferId, counterpartyAccountId });
    }
    case 'ledger.accounts.AccountFrozen':
      return { summary: at(event.data.frozenAt, { status: 'frozen', freezeReason: event.data.reason }) };
    case 'ledger.accounts.AccountUnfrozen':
      return { summary: at(event.data.unfrozenAt, { status: 'open', freezeReason: null }) };
    case 'ledger.accounts.AccountClosed':
      return { summary: at(event.data.closedAt, { status: 'closed', freezeReason: null }) };
    default:
      return assertNever(event);
  }
}

const transferLink = (data: { transferId: string; counterpartyAccountId: string }) => ({
  transferId: data.transferId,
  counterpartyAccountId: data.counterpartyAccountId,
});
