import type { DecodedEvent, SqlWrite } from '@ledger/projections';
import { isAccountEvent, type AccountEvent } from '../events';
import { unique } from '../projection-options';
import type { AccountTables } from '../tables';
import type { AccountSummary, StatementEntry } from './account-rows';
import { insertAccountHistory } from './account-history';
import { refundsOfEarlierDebits } from './accounts-projection';
import { insertStatementEntries, saveAccountSummaries } from './account-store';
import { foldAccountEvents } from './fold-accounts';

/** Summaries per statement when they are written at the end of a bulk load. */
const SUMMARIES_PER_STATEMENT = 10_000;

/**
 * The accounts projection's batch, with the tables it reads held in memory: for a rebuild's bulk load,
 * which applies a whole log before anything else writes the shadow tables. Each batch goes through
 * `foldAccountEvents` exactly as `accountsProjection` hands it over: the summaries of the accounts it
 * touches as stored so far, and the counterparties of the earlier debits its refunds reverse, as the
 * statement holds them. The statement entries and the history rows come out in the projection's own
 * writes (`takeWrites`); the summaries, which later batches keep changing, once at the end (`summaryWrites`).
 */
export class AccountsBulkFold {
  private readonly summaries = new Map<string, AccountSummary>();
  /** Transfer id to destination account of every debit entry with a counterparty: the statement's index. */
  private readonly debits = new Map<string, string>();
  private entries: StatementEntry[] = [];
  private history: AccountEvent[] = [];

  constructor(private readonly tables: AccountTables) {}

  /** Rows waiting for `takeWrites`. */
  get pendingRows(): number {
    return this.entries.length + this.history.length;
  }

  /** Folds one batch (events of one partition, in offset order); throws what the projection would throw. */
  apply(events: readonly DecodedEvent[]): void {
    const accountEvents = events.filter(isAccountEvent);
    if (accountEvents.length === 0) return;
    const stored = new Map<string, AccountSummary>();
    for (const id of unique(accountEvents.map((event) => event.data.accountId))) {
      const summary = this.summaries.get(id);
      if (summary) stored.set(id, summary);
    }
    const counterparties = new Map<string, string>();
    for (const transferId of refundsOfEarlierDebits(accountEvents)) {
      const counterparty = this.debits.get(transferId);
      if (counterparty !== undefined) counterparties.set(transferId, counterparty);
    }
    const changes = foldAccountEvents(stored, accountEvents, counterparties);
    for (const summary of changes.summaries) this.summaries.set(summary.accountId, summary);
    for (const entry of changes.entries) {
      if (
        entry.kind === 'transfer_debit' &&
        entry.transferId !== null &&
        entry.counterpartyAccountId !== null
      )
        this.debits.set(entry.transferId, entry.counterpartyAccountId);
      this.entries.push(entry);
    }
    for (const event of accountEvents) this.history.push(event);
  }

  /** The statement entries and history rows folded since the last call, as the projection inserts them. */
  takeWrites(): SqlWrite[] {
    const writes = [
      insertStatementEntries(this.entries, this.tables),
      insertAccountHistory(this.history, this.tables),
    ];
    this.entries = [];
    this.history = [];
    return writes.filter((write): write is SqlWrite => write !== undefined);
  }

  /** Every account's final summary, as the projection upserts them (into empty tables: inserts). */
  summaryWrites(): SqlWrite[] {
    const all = [...this.summaries.values()];
    const writes: SqlWrite[] = [];
    for (let start = 0; start < all.length; start += SUMMARIES_PER_STATEMENT) {
      const write = saveAccountSummaries(all.slice(start, start + SUMMARIES_PER_STATEMENT), this.tables);
      if (write) writes.push(write);
    }
    return writes;
  }
}
