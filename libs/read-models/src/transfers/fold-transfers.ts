import { assertNever, transferStreamId } from '@ledger/domain';
import { ReadModelError } from '../errors';
import type { LedgerEvent, TransferEvent } from '../events';
import { minorUnits } from '../minor-units';
import type { TransferHistoryEntry, TransferRow } from './transfer-rows';

/** What a batch changes: the final row of every transfer it touched, and one history entry per event. */
export interface TransferChanges {
  transfers: TransferRow[];
  history: TransferHistoryEntry[];
}

type Requested = LedgerEvent<'ledger.transfers.TransferRequested'>;
type Step = Exclude<TransferEvent, Requested>;
type Change = { row: TransferRow; detail: Record<string, unknown> };

/**
 * Folds a batch of transfer events, in order, over the stored rows of the transfers it touches. Like the
 * aggregate, the status is the one the latest event sets: events are recorded facts, not requests.
 */
export function foldTransferEvents(
  stored: ReadonlyMap<string, TransferRow>,
  events: readonly TransferEvent[],
): TransferChanges {
  const rows = new Map(stored);
  const touched = new Set<string>();
  const history: TransferHistoryEntry[] = [];

  for (const event of events) {
    const { transferId } = event.data;
    if (event.streamId !== transferStreamId(transferId)) {
      throw new ReadModelError(
        'stream-mismatch',
        `${event.type} of transfer ${transferId} in stream ${event.streamId}`,
      );
    }
    const before = rows.get(transferId);
    let change: Change;
    if (event.type === 'ledger.transfers.TransferRequested') {
      if (before) throw new ReadModelError('already-created', `transfer ${transferId} was already requested`);
      change = requested(event);
    } else {
      if (!before)
        throw new ReadModelError('not-created', `${event.type} for transfer ${transferId}, never requested`);
      change = step(before, event);
    }
    const { row: after, detail } = change;
    rows.set(transferId, after);
    touched.add(transferId);
    history.push({
      transferId,
      streamVersion: event.streamVersion,
      eventId: event.eventId,
      eventType: event.type,
      status: after.status,
      detail,
      occurredAt: after.updatedAt,
      recordedAt: event.recordedAt,
      globalPosition: event.globalPosition,
    });
  }
  return { transfers: [...touched].map((id) => rows.get(id)!), history };
}

function requested(event: Requested): Change {
  const { data } = event;
  const { fromAccountId, toAccountId, currency } = data;
  const row: TransferRow = {
    transferId: data.transferId,
    fromAccountId: data.fromAccountId,
    toAccountId: data.toAccountId,
    amount: minorUnits(data.amount, 'transfer amount'),
    currency: data.currency,
    status: 'requested',
    failureStage: null,
    failureReason: null,
    version: event.streamVersion,
    lastGlobalPosition: event.globalPosition,
    requestedAt: data.requestedAt,
    updatedAt: data.requestedAt,
  };
  return { row, detail: { fromAccountId, toAccountId, amount: row.amount, currency } };
}

function step(before: TransferRow, event: Step): Change {
  const at = (
    updatedAt: string,
    change: Pick<TransferRow, 'status'> & Partial<TransferRow>,
    detail = {},
  ) => ({
    row: {
      ...before,
      ...change,
      version: event.streamVersion,
      lastGlobalPosition: event.globalPosition,
      updatedAt,
    },
    detail,
  });
  switch (event.type) {
    case 'ledger.transfers.TransferSourceDebited':
      return at(event.data.debitedAt, { status: 'debited' });
    case 'ledger.transfers.TransferCompleted':
      return at(event.data.completedAt, { status: 'completed' });
    case 'ledger.transfers.TransferCreditRefused': {
      // The credit stage has failed already; the refund that follows ends the transfer as failed.
      const { reason, refusedAt } = event.data;
      return at(
        refusedAt,
        { status: 'credit_refused', failureStage: 'credit', failureReason: reason },
        { reason },
      );
    }
    case 'ledger.transfers.TransferFailed': {
      const { stage, reason, failedAt } = event.data;
      return at(
        failedAt,
        { status: 'failed', failureStage: stage, failureReason: reason },
        { stage, reason },
      );
    }
    default:
      return assertNever(event);
  }
}
