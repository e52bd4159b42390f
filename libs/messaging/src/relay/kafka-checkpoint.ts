import type { LogPosition } from '@ledger/event-store';
import type { Admin, Kafka } from 'kafkajs';
import { z } from 'zod';

/**
 * The relay's checkpoint as Kafka committed it: the log position of the last event of the last committed
 * transaction, and that event's id, so that a checkpoint left behind by another store (a database created
 * again under the same name) is recognised and not trusted.
 */
export interface CommittedCheckpoint {
  readonly position: LogPosition;
  readonly lastEventId: string;
}

/** Where the relay keeps its checkpoint on Kafka, and how it reads it back. */
export interface KafkaCheckpoints {
  /** The consumer group whose committed offset carries the checkpoint (also the transactional id). */
  readonly groupId: string;
  /** A one-partition topic that only anchors the group's offset; nothing is written to it. */
  readonly topic: string;
  /** The checkpoint of the last committed transaction; undefined when none was ever committed. */
  load(): Promise<CommittedCheckpoint | undefined>;
}

const metadataSchema = z.object({
  v: z.literal(1),
  transactionId: z.number().int().nonnegative(),
  globalPosition: z.number().int().nonnegative(),
  lastEventId: z.string().min(1),
});

/** The offset commit that carries `checkpoint` inside a transaction (kafkajs `sendOffsets`). */
export function checkpointOffsets(
  checkpoints: Pick<KafkaCheckpoints, 'groupId' | 'topic'>,
  checkpoint: CommittedCheckpoint,
) {
  const metadata = JSON.stringify({ v: 1, ...checkpoint.position, lastEventId: checkpoint.lastEventId });
  return {
    consumerGroupId: checkpoints.groupId,
    // The offset itself is only for people looking at the group; the metadata is what the relay reads.
    topics: [
      {
        topic: checkpoints.topic,
        partitions: [{ partition: 0, offset: String(checkpoint.position.globalPosition), metadata }],
      },
    ],
  };
}

/** Parses the metadata of the group's offset; undefined when there is none. Throws on a foreign value. */
export function parseCheckpointMetadata(
  metadata: string | null | undefined,
): CommittedCheckpoint | undefined {
  if (metadata === null || metadata === undefined || metadata === '') return undefined;
  const parsed = metadataSchema.parse(JSON.parse(metadata));
  return {
    position: { transactionId: parsed.transactionId, globalPosition: parsed.globalPosition },
    lastEventId: parsed.lastEventId,
  };
}

export interface KafkaGroupCheckpointsOptions {
  readonly groupId: string;
  readonly topic: string;
  readonly replicationFactor?: number;
  /** How long `load` waits for a pending transaction of the group to complete; default 15 s. */
  readonly stableWaitMs?: number;
}

/**
 * The checkpoint as the committed offset of a consumer group: kafkajs `sendOffsets` adds it to the
 * relay's transaction, so it commits or aborts together with the batch's records, and the broker never
 * shows one without the other. Read it only after the transactional producer was initialised: that
 * completes (or aborts) any transaction an earlier instance left open. The read asks for a stable value,
 * so it also waits while the group's coordinator is still applying such a transaction's offsets (after a
 * broker restart, say) instead of returning the checkpoint before it.
 */
export class KafkaGroupCheckpoints implements KafkaCheckpoints {
  readonly groupId: string;
  readonly topic: string;
  private topicReady: Promise<void> | undefined;
  private readonly options: Required<KafkaGroupCheckpointsOptions>;

  constructor(
    private readonly kafka: Kafka,
    options: KafkaGroupCheckpointsOptions,
  ) {
    this.options = {
      ...options,
      replicationFactor: options.replicationFactor ?? 1,
      stableWaitMs: options.stableWaitMs ?? 15_000,
    };
    this.groupId = options.groupId;
    this.topic = options.topic;
  }

  async load(): Promise<CommittedCheckpoint | undefined> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await this.ensureTopic(admin);
      const offsets = await this.fetchStable(admin);
      const partition = offsets?.partitions.find((entry) => entry.partition === 0);
      if (partition === undefined || partition.offset === '-1') return undefined;
      return parseCheckpointMetadata(partition.metadata);
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * The group's committed offsets, asked for as stable (OffsetFetch v7, KIP-447): while a transaction
   * that commits them is still being completed, the coordinator answers UNSTABLE_OFFSET_COMMIT rather
   * than the value before that transaction, which would make the relay publish the transaction again.
   * Completing the transaction is the coordinator's job and takes milliseconds; the wait is bounded, and
   * past it the caller's session fails and backs off.
   */
  private async fetchStable(admin: Admin) {
    const deadline = Date.now() + this.options.stableWaitMs;
    for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
      try {
        const [offsets] = await admin.fetchOffsets({
          groupId: this.groupId,
          topics: [this.topic],
          requireStable: true,
        });
        return offsets;
      } catch (error) {
        if ((error as { type?: string }).type !== 'UNSTABLE_OFFSET_COMMIT' || Date.now() + delay > deadline)
          throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Creates the anchor topic when missing: a transaction can only commit an offset of an existing one. */
  async ensureTopic(admin: Admin): Promise<void> {
    this.topicReady ??= (async () => {
      if ((await admin.listTopics()).includes(this.topic)) return;
      await admin.createTopics({
        topics: [
          {
            topic: this.topic,
            numPartitions: 1,
            replicationFactor: this.options.replicationFactor,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          },
        ],
        waitForLeaders: true,
      });
    })().catch((error: unknown) => {
      this.topicReady = undefined;
      throw error;
    });
    await this.topicReady;
  }
}
