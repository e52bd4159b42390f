import type { DecodedEvent, Projection } from '@ledger/projections';
import { isAccountEvent, type AccountEvent } from '../events';
import { enterGuard, unique, type ReadModelProjectionOptions } from '../projection-options';
import { PROJECTIONS } from '../schema';
import { accountTables } from '../tables';
import {
  debitCounterparties,
  insertStatementEntries,
  lockAccountSummaries,
  saveAccountSummaries,
} from './account-store';
import { insertAccountHistory } from './account-history';
import { foldAccountEvents } from './fold-accounts';

/**
 * Account summaries, statements and the audit history. A batch costs at most two statements whatever
 * its size, besides its guard's lock: lock the touched summaries, and look up the debits that refunds in
 * the batch reverse (only when it refunds one). Its writes (upsert the summaries, insert the entries and the
 * history) go to the runtime, which runs them in the statement that advances the checkpoints.
 * Events of other types on the topic change nothing.
 */
export function accountsProjection(options: ReadModelProjectionOptions = {}): Projection<DecodedEvent> {
  const tables = accountTables(options.tableSuffix);
  return {
    name: options.name ?? PROJECTIONS.accounts.name,
    topics: options.topics ?? [...PROJECTIONS.accounts.topics],
    async apply(tx, events) {
      const accountEvents = events.filter(isAccountEvent);
      if (accountEvents.length === 0) return;
      await enterGuard(tx, options.guard);
      const stored = await lockAccountSummaries(
        tx,
        unique(accountEvents.map((event) => event.data.accountId)),
        tables,
      );
      const counterparties = await debitCounterparties(tx, refundsOfEarlierDebits(accountEvents), tables);
      const changes = foldAccountEvents(stored, accountEvents, counterparties);
      return [
        options.guard?.verify,
        saveAccountSummaries(changes.summaries, tables),
        insertStatementEntries(changes.entries, tables),
        insertAccountHistory(accountEvents, tables),
      ];
    },
  };
}

/** Transfers refunded in the batch whose debit is not in it, so it must be in the stored statement. */
export function refundsOfEarlierDebits(events: readonly AccountEvent[]): string[] {
  const debited = new Set<string>();
  const refunded: string[] = [];
  for (const event of events) {
    if (event.type === 'ledger.accounts.TransferDebited') debited.add(event.data.transferId);
    if (event.type === 'ledger.accounts.TransferRefunded' && !debited.has(event.data.transferId)) {
      refunded.push(event.data.transferId);
    }
  }
  return unique(refunded);
}
