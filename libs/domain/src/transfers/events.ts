import type { DomainEvent } from '../shared/decider';
import type { MinorUnits } from '../shared/money';
import type { IsoTimestamp } from '../shared/time';

// Wire names and fields are those of the current Avro schemas in avro-schemas/ (described in docs/events.md).
// schema-versions.ts checks them at compile time against the types generated into @ledger/contracts.

export type FailedStage = 'debit' | 'credit';

export interface TransferRequestedData {
  transferId: string;
  fromAccountId: string;
  toAccountId: string;
  amount: MinorUnits;
  currency: string;
  requestedAt: IsoTimestamp;
}

export interface TransferSourceDebitedData {
  transferId: string;
  debitedAt: IsoTimestamp;
  /** When the transfer was requested; the time above is this step's own (null only for an unknown request). */
  requestedAt: IsoTimestamp | null;
}

export interface TransferCompletedData {
  transferId: string;
  completedAt: IsoTimestamp;
  /** When the transfer was requested; the time above is this step's own (null only for an unknown request). */
  requestedAt: IsoTimestamp | null;
}

export interface TransferCreditRefusedData {
  transferId: string;
  reason: string;
  refusedAt: IsoTimestamp;
  /** When the transfer was requested; the time above is this step's own (null only for an unknown request). */
  requestedAt: IsoTimestamp | null;
}

export interface TransferFailedData {
  transferId: string;
  stage: FailedStage;
  reason: string;
  failedAt: IsoTimestamp;
  /** When the transfer was requested; the time above is this step's own (null only for an unknown request). */
  requestedAt: IsoTimestamp | null;
}

export type TransferRequested = DomainEvent<'ledger.transfers.TransferRequested', TransferRequestedData>;
export type TransferSourceDebited = DomainEvent<
  'ledger.transfers.TransferSourceDebited',
  TransferSourceDebitedData
>;
export type TransferCompleted = DomainEvent<'ledger.transfers.TransferCompleted', TransferCompletedData>;
export type TransferCreditRefused = DomainEvent<
  'ledger.transfers.TransferCreditRefused',
  TransferCreditRefusedData
>;
export type TransferFailed = DomainEvent<'ledger.transfers.TransferFailed', TransferFailedData>;

export type TransferEvent =
  TransferRequested | TransferSourceDebited | TransferCompleted | TransferCreditRefused | TransferFailed;

export type TransferEventType = TransferEvent['type'];
