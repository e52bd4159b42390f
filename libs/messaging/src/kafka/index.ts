export {
  createKafka,
  DEFAULT_KAFKA_RETRY,
  kafkaConfigOf,
  kafkaLogLevelOf,
  pinoLogCreator,
  type KafkaClientOptions,
} from './create-kafka';
export {
  eventTopicNames,
  provisionTopics,
  type ProvisioningReport,
  type TopicMismatch,
  type TopicProvisioningOptions,
} from './provision-topics';
export {
  kafkaSecurityFrom,
  secretValue,
  TransportConfigError,
  type KafkaSecurity,
  type KafkaSecuritySettings,
  type ReadSecretFile,
} from './security';
