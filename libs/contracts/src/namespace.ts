const PREFIX = /^[A-Za-z0-9._-]*$/;

/**
 * Prefix of every Kafka topic and consumer group the system uses (`KAFKA_TOPIC_PREFIX`, default none),
 * so several environments can share one cluster. Registry subjects keep the logical topic names: a
 * schema is the same contract in every environment.
 */
export function kafkaNamespace(env: NodeJS.ProcessEnv = process.env): string {
  const prefix = env.KAFKA_TOPIC_PREFIX ?? '';
  if (!PREFIX.test(prefix)) {
    throw new Error(`KAFKA_TOPIC_PREFIX may hold only letters, digits, '.', '_' and '-': got "${prefix}"`);
  }
  return prefix;
}

/** A logical topic or consumer-group name inside the current namespace. */
export const inNamespace = (name: string): string => `${kafkaNamespace()}${name}`;
