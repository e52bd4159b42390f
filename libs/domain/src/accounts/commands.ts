import type { MinorUnits } from '../shared/money';
import type { IsoTimestamp } from '../shared/time';

// Every command names its account so an adapter can derive the stream id without parsing payloads.

export interface OpenAccount {
  type: 'OpenAccount';
  accountId: string;
  ownerId: string;
  currency: string;
  /** How far below zero the balance may go; 0 when omitted. */
  overdraftLimit?: MinorUnits;
  /** Sum of debits allowed per UTC day; 100000000 when omitted. */
  dailyWithdrawalLimit?: MinorUnits;
  now: IsoTimestamp;
}

export interface DepositMoney {
  type: 'DepositMoney';
  accountId: string;
  amount: MinorUnits;
  /** The account's own currency when omitted. */
  currency?: string;
  reference?: string | null;
  now: IsoTimestamp;
}

export interface WithdrawMoney {
  type: 'WithdrawMoney';
  accountId: string;
  amount: MinorUnits;
  /** The account's own currency when omitted. */
  currency?: string;
  reference?: string | null;
  now: IsoTimestamp;
}

export interface FreezeAccount {
  type: 'FreezeAccount';
  accountId: string;
  reason: string;
  now: IsoTimestamp;
}

export interface UnfreezeAccount {
  type: 'UnfreezeAccount';
  accountId: string;
  now: IsoTimestamp;
}

export interface CloseAccount {
  type: 'CloseAccount';
  accountId: string;
  now: IsoTimestamp;
}

export interface DebitForTransfer {
  type: 'DebitForTransfer';
  accountId: string;
  transferId: string;
  amount: MinorUnits;
  currency: string;
  counterpartyAccountId: string;
  now: IsoTimestamp;
  /** When the transfer was requested; the time above is this step's own (null only for an unknown request). */
  requestedAt: IsoTimestamp | null;
}

export interface CreditForTransfer {
  type: 'CreditForTransfer';
  accountId: string;
  transferId: string;
  amount: MinorUnits;
  currency: string;
  counterpartyAccountId: string;
  now: IsoTimestamp;
  /** When the transfer was requested; the time above is this step's own (null only for an unknown request). */
  requestedAt: IsoTimestamp | null;
}

export interface RefundTransfer {
  type: 'RefundTransfer';
  accountId: string;
  transferId: string;
  amount: MinorUnits;
  currency: string;
  now: IsoTimestamp;
  /** When the transfer was requested; the time above is this step's own (null only for an unknown request). */
  requestedAt: IsoTimestamp | null;
}

export type AccountCommand =
  | OpenAccount
  | DepositMoney
  | WithdrawMoney
  | FreezeAccount
  | UnfreezeAccount
  | CloseAccount
  | DebitForTransfer
  | CreditForTransfer
  | RefundTransfer;
