import { assertNever } from '../shared/decider';
import type { FailedStage, TransferEvent } from './events';

/**
 * requested ─► debited ─► completed
 *    │            └─► creditRefused ─► failed (credit)
 *    └─► failed (debit)
 * Accounts and amounts live in the events and read models; no decision here needs them.
 */
export type TransferState =
  | { status: 'notRequested' }
  | { status: 'requested' | 'debited' | 'completed' | 'creditRefused' }
  | { status: 'failed'; stage: FailedStage };

export type TransferStatus = TransferState['status'];

export const initialTransferState: TransferState = { status: 'notRequested' };

export function evolveTransfer(_state: TransferState, event: TransferEvent): TransferState {
  switch (event.type) {
    case 'ledger.transfers.TransferRequested':
      return { status: 'requested' };
    case 'ledger.transfers.TransferSourceDebited':
      return { status: 'debited' };
    case 'ledger.transfers.TransferCompleted':
      return { status: 'completed' };
    case 'ledger.transfers.TransferCreditRefused':
      return { status: 'creditRefused' };
    case 'ledger.transfers.TransferFailed':
      return { status: 'failed', stage: event.data.stage };
    default:
      return assertNever(event);
  }
}
