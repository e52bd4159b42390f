import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { projectionPositions } from './store/positions';

export interface PartitionStatus {
  topic: string;
  partition: number;
  /** Next offset the group will read (Kafka's committed offset), null when it never committed. */
  committedOffset: string | null;
  highWatermark: string;
  /**
   * Records the projector has yet to read: from the lower of the group's next offset (committed, else the
   * log start) and the offset after the last one applied, up to the high watermark. After a reset to
   * earliest it counts the records the group will read again, although they are already applied.
   */
  lagEvents: number;
  /** Of those, records already applied that the group will read (and skip) again, e.g. after a reset. */
  rereadEvents: number;
  /** Of those, records not applied yet. */
  unappliedEvents: number;
  /** Last offset processed according to Postgres, and what was applied up to then. */
  processedOffset: string | null;
  globalPosition: number | null;
  lastRecordedAt: Date | null;
  /** Age of the last applied event while unapplied records wait; 0 when none wait; null when unknown. */
  lagSeconds: number | null;
  updatedAt: Date | null;
}

/** A member of the projection's consumer group, as Kafka's group coordinator reports it. */
export interface GroupMember {
  memberId: string;
  clientId: string;
  clientHost: string;
}

export interface ProjectionStatus {
  projection: string;
  /** The consumer group's state (Stable, PreparingRebalance, Empty, Dead, ...) and its members now. */
  group: { state: string; members: GroupMember[] };
  partitions: PartitionStatus[];
  /** Streams waiting behind a failed event, by stage, and the events in their queues. */
  parked: { retrying: number; deadLettered: number; events: number };
}

export interface PartitionOffsets {
  /** Log start and high watermark (the offset the next record will get). */
  low: number;
  high: number;
  /** The group's next offset; null when it never committed (it then starts at the log start). */
  committed: number | null;
  /** Last offset processed according to the read model's database; null when none. */
  processed: number | null;
}

/**
 * The lag of one partition as both Kafka and the read model see it. The Kafka commit follows the
 * database commit, so for a moment the committed offset may trail what is applied; a reset moves it
 * back for good. Either way the group has those records to read again, so they count.
 */
export function partitionLag({ low, high, committed, processed }: PartitionOffsets): {
  lagEvents: number;
  rereadEvents: number;
  unappliedEvents: number;
} {
  const nextRead = Math.max(committed ?? low, low);
  const nextApply = processed === null ? nextRead : Math.max(processed + 1, low);
  const unappliedEvents = Math.max(0, high - nextApply);
  const rereadEvents = Math.max(0, Math.min(nextApply, high) - nextRead);
  return { lagEvents: Math.max(0, high - Math.min(nextRead, nextApply)), rereadEvents, unappliedEvents };
}

/**
 * Progress of a projection per partition: Kafka's view (committed offsets against high watermarks) beside
 * Postgres's (positions and what is parked). `topics` defaults to the topics the projection has processed.
 */
export async function projectionStatus(
  { pool, admin }: { pool: Pool; admin: Admin },
  name: string,
  topics?: string[],
): Promise<ProjectionStatus> {
  const positions = await projectionPositions(pool, name);
  const topicList = topics ?? [...new Set(positions.map((row) => row.topic))];
  const committed =
    topicList.length > 0 ? await admin.fetchOffsets({ groupId: name, topics: topicList }) : [];
  const partitions: PartitionStatus[] = [];
  for (const topic of topicList) {
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      const offset = committed
        .find((c) => c.topic === topic)
        ?.partitions.find((p) => p.partition === partition)?.offset;
      const committedOffset = offset !== undefined && Number(offset) >= 0 ? offset : null;
      const position = positions.find((row) => row.topic === topic && row.partition === partition);
      const lag = partitionLag({
        low: Number(low),
        high: Number(high),
        committed: committedOffset === null ? null : Number(committedOffset),
        processed: position ? position.offset : null,
      });
      const lastRecordedAt = position?.lastRecordedAt ?? null;
      partitions.push({
        topic,
        partition,
        committedOffset,
        highWatermark: high,
        ...lag,
        processedOffset: position ? String(position.offset) : null,
        globalPosition: position?.globalPosition ?? null,
        lastRecordedAt,
        lagSeconds:
          lag.unappliedEvents === 0
            ? 0
            : lastRecordedAt && Math.max(0, (Date.now() - lastRecordedAt.getTime()) / 1000),
        updatedAt: position?.updatedAt ?? null,
      });
    }
  }
  const [described] = (await admin.describeGroups([name])).groups;
  const group = {
    state: described?.state ?? 'Dead',
    members: (described?.members ?? []).map(({ memberId, clientId, clientHost }) => ({
      memberId,
      clientId,
      clientHost,
    })),
  };
  const { rows } = await pool.query<{ retrying: string; dead: string; events: string }>(
    `select (select count(*) from projection_parked_keys where projection = $1 and stage = 'retry') as retrying,
            (select count(*) from projection_parked_keys where projection = $1 and stage = 'dead-letter') as dead,
            (select count(*) from projection_parked_events where projection = $1) as events`,
    [name],
  );
  const counts = rows[0]!;
  return {
    projection: name,
    group,
    partitions: partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition),
    parked: {
      retrying: Number(counts.retrying),
      deadLettered: Number(counts.dead),
      events: Number(counts.events),
    },
  };
}
