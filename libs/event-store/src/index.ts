export type { CheckpointStore, EventStore } from './event-store';
export type * from './types';
export * from './errors';
export { compareLogPositions, LOG_START, logPositionOf } from './log-position';
export { UpcasterRegistry, NO_UPCASTERS, type Upcaster } from './upcasters';
export {
  loadAggregate,
  rememberState,
  saveSnapshotIfDue,
  type AggregateDefinition,
  type StateCache,
  type LoadedAggregate,
  type SnapshotOptions,
} from './aggregate';
export { InMemoryEventStore, type InMemoryEventStoreOptions } from './in-memory/in-memory-event-store';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export {
  purgeIdempotencyKeys,
  pruneSnapshots,
  type PurgeProgress,
  type SnapshotPruneRule,
} from './postgres/maintenance';
export { staleSchemaVersions, upgradeEventSchemas, type StaleSchemaVersion } from './postgres/schema-upgrade';
export {
  createEventStoreDataSource,
  EVENT_STORE_MIGRATIONS_TABLE,
  eventStoreMigrations,
  runMigrations,
} from './migrations/run-migrations';
export { EVENT_STORE, EventStoreModule, type EventStoreModuleOptions } from './nest';
export {
  storeHeadPosition,
  storeStreamDigests,
  streamPage,
  streamsInPositionRange,
  type StoreStreamDigest,
} from './postgres/stream-digests';
export {
  assertCheckpointTablesReadable,
  checkpointCovers,
  highestGlobalPosition,
} from './postgres/checkpoint-coverage';
