import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';

export interface PartitionPosition {
  topic: string;
  partition: number;
  /** Last offset the group has processed (projection_positions), or null before its first chunk. */
  offset: number | null;
}

/** What a group has processed per partition of `topics`, from the runtime's own positions. */
export async function groupPositions(
  pool: Pick<Pool, 'query'>,
  group: string,
  topics: readonly string[],
): Promise<PartitionPosition[]> {
  const { rows } = await pool.query<{ topic: string; partition: number; offset: string }>(
    `select topic, partition, "offset" from projection_positions where projection = $1 and topic = any($2::text[])`,
    [group, topics],
  );
  return rows.map((row) => ({ topic: row.topic, partition: row.partition, offset: Number(row.offset) }));
}

/** True when `ahead` has processed at least what `behind` has, on every partition `behind` has touched. */
export function covers(ahead: readonly PartitionPosition[], behind: readonly PartitionPosition[]): boolean {
  const key = (p: PartitionPosition) => `${p.topic}\u0000${p.partition}`;
  const reached = new Map(ahead.map((p) => [key(p), p.offset ?? -1]));
  return behind.every((p) => (reached.get(key(p)) ?? -1) >= (p.offset ?? -1));
}

export interface Backlog {
  /** Records of the topics the group has processed (offsets past each partition's start). */
  processed: number;
  /** Records the topics hold now. */
  total: number;
  /** Records still to process. */
  lag: number;
}

/** Where a group stands against the log ends of its topics. */
export async function measureBacklog(
  admin: Admin,
  pool: Pick<Pool, 'query'>,
  group: string,
  topics: readonly string[],
): Promise<Backlog> {
  const positions = await groupPositions(pool, group, topics);
  const at = new Map(positions.map((p) => [`${p.topic}\u0000${p.partition}`, p.offset ?? -1]));
  const backlog: Backlog = { processed: 0, total: 0, lag: 0 };
  for (const topic of topics) {
    for (const { partition, low, high } of await admin.fetchTopicOffsets(topic)) {
      const start = Number(low);
      const end = Number(high);
      const next = Math.max(start, (at.get(`${topic}\u0000${partition}`) ?? -1) + 1);
      backlog.total += end - start;
      backlog.processed += Math.min(end, next) - start;
      backlog.lag += Math.max(0, end - next);
    }
  }
  return backlog;
}
