import type { AccountEvent, AccountEventType } from './accounts/events';
import type { TransferEvent, TransferEventType } from './transfers/events';

export type LedgerEvent = AccountEvent | TransferEvent;
export type LedgerEventType = AccountEventType | TransferEventType;

const SCHEMA_VERSIONS: Readonly<Record<LedgerEventType, number>> = {
  'ledger.accounts.AccountOpened': 2,
  'ledger.accounts.MoneyDeposited': 1,
  'ledger.accounts.MoneyWithdrawn': 1,
  'ledger.accounts.TransferDebited': 2,
  'ledger.accounts.TransferCredited': 2,
  'ledger.accounts.TransferRefunded': 2,
  'ledger.accounts.AccountFrozen': 1,
  'ledger.accounts.AccountUnfrozen': 1,
  'ledger.accounts.AccountClosed': 1,
  'ledger.transfers.TransferRequested': 1,
  'ledger.transfers.TransferSourceDebited': 2,
  'ledger.transfers.TransferCompleted': 2,
  'ledger.transfers.TransferCreditRefused': 2,
  'ledger.transfers.TransferFailed': 2,
};

/** Every event type the domain emits, in catalogue order. */
export const LEDGER_EVENT_TYPES = Object.keys(SCHEMA_VERSIONS) as readonly LedgerEventType[];

export function isLedgerEventType(type: string): type is LedgerEventType {
  return Object.hasOwn(SCHEMA_VERSIONS, type);
}

/** The schema version the domain writes for an event type; older versions are upcast on read. */
export function eventSchemaVersion(type: LedgerEventType): number {
  return SCHEMA_VERSIONS[type];
}
