import { eventTopics, inNamespace } from '@ledger/contracts';
import type { Admin, ITopicConfig } from 'kafkajs';

export interface TopicProvisioningOptions {
  /** Topics to provision; default: every event topic of the catalogue (`ledger.account.events`, ...). */
  readonly topics?: readonly string[];
  /** Default 6: the ceiling of consumer parallelism per projector, and fixed for good (see below). */
  readonly partitions?: number;
  /** Default 1 (one local broker); production clusters pass 3. */
  readonly replicationFactor?: number;
}

/** An existing topic whose layout differs from what was asked for; provisioning never alters it. */
export interface TopicMismatch {
  readonly topic: string;
  readonly setting: 'partitions' | 'replicationFactor';
  readonly expected: number;
  readonly actual: number;
}

export interface ProvisioningReport {
  readonly created: readonly string[];
  readonly existing: readonly string[];
  readonly mismatches: readonly TopicMismatch[];
}

/** Every distinct event topic of the catalogue. */
export function eventTopicNames(): string[] {
  return [...new Set(Object.values(eventTopics).map(inNamespace))].sort();
}

/**
 * Creates the missing event topics and checks the layout of existing ones. Safe to run again and
 * concurrently. Retention is unlimited: a new projection replays every event from the beginning.
 * Existing topics are reported, never changed: adding partitions would move keys to other partitions
 * and break per-stream order, so a mismatch is for an operator to resolve.
 */
export async function provisionTopics(
  admin: Admin,
  options: TopicProvisioningOptions = {},
): Promise<ProvisioningReport> {
  const topics = options.topics ?? eventTopicNames();
  const partitions = options.partitions ?? 6;
  const replicationFactor = options.replicationFactor ?? 1;
  assertPositiveInteger('partitions', partitions);
  assertPositiveInteger('replicationFactor', replicationFactor);

  const present = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !present.has(topic));
  let created: string[] = [];
  if (missing.length > 0) {
    // With acks=all, a write survives the loss of all but min.insync.replicas replicas.
    const minInsync = String(replicationFactor >= 3 ? 2 : 1);
    const configs: ITopicConfig[] = missing.map((topic) => ({
      topic,
      numPartitions: partitions,
      replicationFactor,
      configEntries: [
        { name: 'retention.ms', value: '-1' },
        { name: 'retention.bytes', value: '-1' },
        { name: 'min.insync.replicas', value: minInsync },
      ],
    }));
    // false: another provisioner created them first; they are then checked like any existing topic.
    if (await admin.createTopics({ topics: configs, waitForLeaders: true })) created = missing;
  }

  const mismatches: TopicMismatch[] = [];
  const { topics: layouts } = await admin.fetchTopicMetadata({ topics: [...topics] });
  for (const { name, partitions: layout } of layouts) {
    if (layout.length !== partitions) {
      mismatches.push({ topic: name, setting: 'partitions', expected: partitions, actual: layout.length });
    }
    const replicas = Math.min(...layout.map((partition) => partition.replicas.length));
    if (replicas !== replicationFactor) {
      mismatches.push({
        topic: name,
        setting: 'replicationFactor',
        expected: replicationFactor,
        actual: replicas,
      });
    }
  }
  const existing = topics.filter((topic) => !created.includes(topic));
  mismatches.sort((a, b) => a.topic.localeCompare(b.topic) || a.setting.localeCompare(b.setting));
  return { created, existing, mismatches };
}

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
}
