export type { TransferHistoryEntry, TransferRow, TransferStatus } from './transfer-rows';
export { foldTransferEvents, type TransferChanges } from './fold-transfers';
export { transfersProjection } from './transfers-projection';
export * from './transfer-queries';
export { transferReadDigests, type TransferReadDigest } from './transfer-digests';
export * from './transfer-view-queries';
