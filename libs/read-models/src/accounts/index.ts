export type { AccountSummary, StatementEntry, StatementEntryKind } from './account-rows';
export { foldAccountEvents, type AccountChanges } from './fold-accounts';
export { accountsProjection } from './accounts-projection';
export * from './account-queries';
export { accountReadDigests, type AccountReadDigest } from './account-digests';
export * from './summary-queries';
export * from './history-queries';
