export { EventEncodingError, toTopicMessages, type EventEncoder, type TopicRouter } from './event-records';
export { eventHeaders, RelayHeaders } from './headers';
export { PostgresLagProbe, type LagProbe, type LagSample } from './lag';
export { LeadershipLostError, type LeaderLock, type Leadership } from './leadership';
export {
  DEFAULT_RELAY_BACKOFF,
  OutboxRelay,
  type OutboxRelayOptions,
  type RelayMetrics,
} from './outbox-relay';
export { PostgresLeaderLock, type PostgresLeaderLockOptions } from './postgres-leader-lock';
export { CheckpointWriter, type CheckpointWriterOptions } from './checkpoint-writer';
export {
  checkpointOffsets,
  KafkaGroupCheckpoints,
  parseCheckpointMetadata,
  type CommittedCheckpoint,
  type KafkaCheckpoints,
  type KafkaGroupCheckpointsOptions,
} from './kafka-checkpoint';
export {
  createRelayProducer,
  isProducerFenced,
  RELAY_PRODUCER_CONFIG,
  TransactionalPublisher,
} from './publisher';
export {
  expectedPayloadDigest,
  payloadDigest,
  readPublishedRecords,
  type PublishedRecord,
} from './published-records';
