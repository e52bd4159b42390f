export { createKafka, DEFAULT_KAFKA_RETRY, kafkaLogLevelOf, pinoLogCreator, type KafkaClientOptions } from './create-kafka';
export {
  eventTopicNames,
  provisionTopics,
  type ProvisioningReport,
  type TopicMismatch,
  type TopicProvisioningOptions,
} from './provision-topics';
