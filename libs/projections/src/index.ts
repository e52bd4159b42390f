export * from './event';
export * from './record';
export * from './projection';
export {
  TransientError,
  CheckpointConflictError,
  isTransientError,
  describeError,
  type ErrorDescription,
} from './errors';
export { type RetryPolicy, defaultRetryPolicy } from './policy';
export {
  type ProjectionMetrics,
  type ParkedStreamCounts,
  noMetrics,
  prometheusProjectionMetrics,
} from './metrics';
export * from './freshness-metrics';
export {
  projectionSchemaSql,
  ensureProjectionSchema,
  ensureProjectionSchemaIfPending,
  projectionRuntimeMigrations,
  hasProjectionSchema,
  missingTables,
  PROJECTION_TABLES,
  PROJECTION_PROGRESS_CHANNEL,
} from './schema';
export { clearCheckpoints, appliedVersion, type PositionUpdate } from './store/checkpoints';
export { recordBulkProgress } from './store/bulk-progress';
export { runWrites, type SqlWrite } from './store/combined-writes';
export { projectionPositions, type PartitionPosition } from './store/positions';
export {
  listDeadLetters,
  getDeadLetter,
  type DeadLetter,
  type DeadLetterQuery,
  type DeadLetterStatus,
} from './store/dead-letters';
export { FailureHeaders } from './failure-headers';
export * from './topics';
export * from './projector';
export * from './status';
export * from './operations';
export * from './parked-streams';
export { ProjectorModule, ProjectorLifecycle, PROJECTOR_OPTIONS, type ProjectorModuleOptions } from './nest';
export * from './record-decoder';
