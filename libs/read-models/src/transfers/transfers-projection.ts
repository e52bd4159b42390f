import type { DecodedEvent, Projection } from '@ledger/projections';
import { isTransferEvent } from '../events';
import { enterGuard, unique, type ReadModelProjectionOptions } from '../projection-options';
import { PROJECTIONS } from '../schema';
import { transferTables } from '../tables';
import { foldTransferEvents } from './fold-transfers';
import { insertTransferHistory, lockTransfers, saveTransfers } from './transfer-store';

/**
 * Transfer status and history. A batch costs one statement whatever its size, besides its guard's lock:
 * lock the touched transfers. Its writes (upsert them, insert the history) go to the runtime, which runs them in
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
      await enterGuard(tx, options.guard);
      const stored = await lockTransfers(tx, transferIds, tables);
      const changes = foldTransferEvents(stored, transferEvents);
      return [
        options.guard?.verify,
        saveTransfers(changes.transfers, tables),
        insertTransferHistory(changes.history, tables),
      ];
    },
  };
}
