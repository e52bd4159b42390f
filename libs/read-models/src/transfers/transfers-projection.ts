import type { DecodedEvent, Projection } from '@ledger/projections';
import { isTransferEvent } from '../events';
import { unique, type ReadModelProjectionOptions } from '../projection-options';
import { PROJECTIONS } from '../schema';
import { transferTables } from '../tables';
import { foldTransferEvents } from './fold-transfers';
import { insertTransferHistory, lockTransfers, saveTransfers } from './transfer-store';

/**
 * Transfer status and history. A batch costs one statement whatever its size: lock the touched transfers
 * (and take the guard's lock). Its writes (upsert them, insert the history) go to the runtime, which runs them in
 * the statement that advances the checkpoints. Events of other types on the topic change nothing.
 */
export function transfersProjection(options: ReadModelProjectionOptions = {}): Projection<DecodedEvent> {
  const tables = transferTables(options.tableSuffix);
  return {
    name: options.name ?? PROJECTIONS.transfers.name,
    topics: options.topics ?? [...PROJECTIONS.transfers.topics],
    async apply(tx, events) {
      const transferEvents = events.filter(isTransferEvent);
      if (transferEvents.length === 0) return;
      const transferIds = unique(transferEvents.map((event) => event.data.transferId));
      const stored = await lockTransfers(tx, transferIds, tables, options.guard?.lockKey);
      options.guard?.afterLock?.();
      const changes = foldTransferEvents(stored, transferEvents);
      return [
        options.guard?.verify,
        saveTransfers(changes.transfers, tables),
        insertTransferHistory(changes.history, tables),
      ];
    },
  };
}
