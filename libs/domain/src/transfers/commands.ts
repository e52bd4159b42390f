import type { MinorUnits } from '../shared/money';
import type { IsoTimestamp } from '../shared/time';
import type { FailedStage } from './events';

export interface RequestTransfer {
  type: 'RequestTransfer';
  transferId: string;
  fromAccountId: string;
  toAccountId: string;
  amount: MinorUnits;
  /** The source account's currency when omitted: the registered precondition fills it in before deciding. */
  currency?: string;
  now: IsoTimestamp;
}

export interface RecordSourceDebited {
  type: 'RecordSourceDebited';
  transferId: string;
  now: IsoTimestamp;
  /** When the transfer was requested; the time above is this step's own (null only for an unknown request). */
  requestedAt: IsoTimestamp | null;
}

export interface CompleteTransfer {
  type: 'CompleteTransfer';
  transferId: string;
  now: IsoTimestamp;
  /** When the transfer was requested; the time above is this step's own (null only for an unknown request). */
  requestedAt: IsoTimestamp | null;
}

export interface RecordCreditRefused {
  type: 'RecordCreditRefused';
  transferId: string;
  reason: string;
  now: IsoTimestamp;
  /** When the transfer was requested; the time above is this step's own (null only for an unknown request). */
  requestedAt: IsoTimestamp | null;
}

export interface FailTransfer {
  type: 'FailTransfer';
  transferId: string;
  stage: FailedStage;
  reason: string;
  now: IsoTimestamp;
  /** When the transfer was requested; the time above is this step's own (null only for an unknown request). */
  requestedAt: IsoTimestamp | null;
}

export type TransferCommand =
  RequestTransfer | RecordSourceDebited | CompleteTransfer | RecordCreditRefused | FailTransfer;
