import type { DomainEvent } from '../shared/decider';
import type { MinorUnits } from '../shared/money';
import type { IsoTimestamp } from '../shared/time';

// Wire names and fields are those of the current Avro schemas in avro-schemas/ (described in docs/events.md).
// schema-versions.ts checks them at compile time against the types generated into @ledger/contracts.

export interface AccountOpenedData {
  accountId: string;
  ownerId: string;
  currency: string;
  overdraftLimit: MinorUnits;
  dailyWithdrawalLimit: MinorUnits;
  openedAt: IsoTimestamp;
}

export interface MoneyDepositedData {
  accountId: string;
  amount: MinorUnits;
  currency: string;
  reference: string | null;
  depositedAt: IsoTimestamp;
}

export interface MoneyWithdrawnData {
  accountId: string;
  amount: MinorUnits;
  currency: string;
  reference: string | null;
  withdrawnAt: IsoTimestamp;
}

export interface TransferDebitedData {
  accountId: string;
  transferId: string;
  amount: MinorUnits;
  currency: string;
  counterpartyAccountId: string;
  debitedAt: IsoTimestamp;
  /** When the transfer was requested; the time above is this step's own (null only for an unknown request). */
  requestedAt: IsoTimestamp | null;
}

export interface TransferCreditedData {
  accountId: string;
  transferId: string;
  amount: MinorUnits;
  currency: string;
  counterpartyAccountId: string;
  creditedAt: IsoTimestamp;
  /** When the transfer was requested; the time above is this step's own (null only for an unknown request). */
  requestedAt: IsoTimestamp | null;
}

export interface TransferRefundedData {
  accountId: string;
  transferId: string;
  amount: MinorUnits;
  currency: string;
  refundedAt: IsoTimestamp;
  /** When the transfer was requested; the time above is this step's own (null only for an unknown request). */
  requestedAt: IsoTimestamp | null;
}

export interface AccountFrozenData {
  accountId: string;
  reason: string;
  frozenAt: IsoTimestamp;
}

export interface AccountUnfrozenData {
  accountId: string;
  unfrozenAt: IsoTimestamp;
}

export interface AccountClosedData {
  accountId: string;
  closedAt: IsoTimestamp;
}

export type AccountOpened = DomainEvent<'ledger.accounts.AccountOpened', AccountOpenedData>;
export type MoneyDeposited = DomainEvent<'ledger.accounts.MoneyDeposited', MoneyDepositedData>;
export type MoneyWithdrawn = DomainEvent<'ledger.accounts.MoneyWithdrawn', MoneyWithdrawnData>;
export type TransferDebited = DomainEvent<'ledger.accounts.TransferDebited', TransferDebitedData>;
export type TransferCredited = DomainEvent<'ledger.accounts.TransferCredited', TransferCreditedData>;
export type TransferRefunded = DomainEvent<'ledger.accounts.TransferRefunded', TransferRefundedData>;
export type AccountFrozen = DomainEvent<'ledger.accounts.AccountFrozen', AccountFrozenData>;
export type AccountUnfrozen = DomainEvent<'ledger.accounts.AccountUnfrozen', AccountUnfrozenData>;
export type AccountClosed = DomainEvent<'ledger.accounts.AccountClosed', AccountClosedData>;

export type AccountEvent =
  | AccountOpened
  | MoneyDeposited
  | MoneyWithdrawn
  | TransferDebited
  | TransferCredited
  | TransferRefunded
  | AccountFrozen
  | AccountUnfrozen
  | AccountClosed;

export type AccountEventType = AccountEvent['type'];
