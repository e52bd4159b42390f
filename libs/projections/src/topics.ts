import type { Admin, ITopicConfig, Kafka } from 'kafkajs';

/** `<group>.retry.<level>`, level from 1. */
export const retryTopic = (group: string, level: number) => `${group}.retry.${level}`;
/** `<group>.dlq`. */
export const deadLetterTopic = (group: string) => `${group}.dlq`;
/** Consumer group of the retry topics, beside the projection's own group. */
export const retryGroup = (group: string) => `${group}.retry`;

/** The retry topics of a projection: at least `<group>.retry.1`, where redrives go even without retry levels. */
export function retryTopics(group: string, levels: number): string[] {
  return Array.from({ length: Math.max(1, levels) }, (_, index) => retryTopic(group, index + 1));
}

export interface ProjectionTopicOptions {
  retryLevels: number;
  /** Partitions of each retry and dead-letter topic (parallelism of retries). */
  partitions: number;
  replicationFactor?: number;
  /** Dead letters are kept until an operator acts on them: default retention is unlimited. */
  deadLetterRetentionMs?: number;
}

/**
 * Creates a projection's retry and dead-letter topics when missing (the brokers do not auto-create
 * topics). Returns the names of the topics it created.
 */
export async function ensureProjectionTopics(
  admin: Admin,
  group: string,
  { retryLevels, partitions, replicationFactor = -1, deadLetterRetentionMs = -1 }: ProjectionTopicOptions,
): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const wanted: ITopicConfig[] = [
    ...retryTopics(group, retryLevels).map((topic) => ({
      topic,
      numPartitions: partitions,
      replicationFactor,
    })),
    {
      topic: deadLetterTopic(group),
      numPartitions: partitions,
      replicationFactor,
      configEntries: [{ name: 'retention.ms', value: String(deadLetterRetentionMs) }],
    },
  ];
  const missing = wanted.filter(({ topic }) => !existing.has(topic));
  if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
  return missing.map(({ topic }) => topic);
}

/** The retry and dead-letter topics of a projection that do not exist (yet). */
export async function missingProjectionTopics(
  kafka: Kafka,
  group: string,
  retryLevels: number,
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    return [...retryTopics(group, retryLevels), deadLetterTopic(group)].filter(
      (topic) => !existing.has(topic),
    );
  } finally {
    await admin.disconnect();
  }
}
