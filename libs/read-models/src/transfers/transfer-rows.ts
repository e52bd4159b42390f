export type TransferStatus = 'requested' | 'debited' | 'completed' | 'credit_refused' | 'failed';

/** A row of `transfers`. Times are ISO-8601 strings. */
export interface TransferRow {
  transferId: string;
  fromAccountId: string;
  toAccountId: string;
  amount: number;
  currency: string;
  status: TransferStatus;
  failureStage: 'debit' | 'credit' | null;
  failureReason: string | null;
  version: number;
  lastGlobalPosition: number;
  requestedAt: string;
  updatedAt: string;
}

/** A row of `transfer_history`: one event of a transfer and the status it left. */
export interface TransferHistoryEntry {
  transferId: string;
  streamVersion: number;
  eventId: string;
  /** The event's wire name, e.g. `ledger.transfers.TransferCompleted`. */
  eventType: string;
  status: TransferStatus;
  /** What the event adds beyond the status: parties and amount when requested, stage and reason on failure. */
  detail: Record<string, unknown>;
  /** The business time the event carries (requestedAt, debitedAt, …). */
  occurredAt: string;
  /** The record time: when the event store recorded the event (its `recorded-at` header). */
  recordedAt: string;
  globalPosition: number;
}
