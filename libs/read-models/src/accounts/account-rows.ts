/** A row of `account_summaries`, as the fold keeps it. Times are ISO-8601 strings. */
export interface AccountSummary {
  accountId: string;
  ownerId: string;
  currency: string;
  balance: number;
  overdraftLimit: number;
  dailyWithdrawalLimit: number;
  status: 'open' | 'frozen' | 'closed';
  freezeReason: string | null;
  version: number;
  lastGlobalPosition: number;
  openedAt: string;
  /** When the store recorded the opening: the account exists on the record axis from then on. */
  openedRecordedAt: string;
  updatedAt: string;
}

export type StatementEntryKind =
  'deposit' | 'withdrawal' | 'transfer_debit' | 'transfer_credit' | 'transfer_refund';

/** A row of `account_statement_entries`: one money movement, signed, with the balance it left. */
export interface StatementEntry {
  accountId: string;
  streamVersion: number;
  eventId: string;
  kind: StatementEntryKind;
  /** Credits positive, debits negative. */
  amount: number;
  balanceAfter: number;
  currency: string;
  reference: string | null;
  transferId: string | null;
  counterpartyAccountId: string | null;
  /** The business time the event carries (depositedAt, debitedAt, …). */
  occurredAt: string;
  /** The record time: when the event store recorded the event (its `recorded-at` header). */
  recordedAt: string;
  globalPosition: number;
}
