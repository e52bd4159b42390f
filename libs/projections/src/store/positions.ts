import type { Pool, PoolClient } from 'pg';

/** Where a projection stands on one partition of its topics, as its last committed chunk recorded it. */
export interface PartitionPosition {
  topic: string;
  partition: number;
  /** Last offset processed (applied, skipped or parked); the next record to read is `offset + 1`. */
  offset: number;
  /** Highest global position applied from this partition; null while nothing was applied. */
  globalPosition: number | null;
  /** When the store recorded the last applied event; null while nothing was applied. */
  lastRecordedAt: Date | null;
  /** When the position last moved. */
  updatedAt: Date;
}

interface PositionRow {
  topic: string;
  partition: number;
  offset: string;
  global_position: string | null;
  last_recorded_at: Date | null;
  updated_at: Date;
}

/**
 * A projection's progress per partition (all its topics, or only `topics`). The runtime owns the table
 * behind it: readers (the query API's consistency gate, status, benchmarks) call this instead of its SQL.
 */
export async function projectionPositions(
  db: Pick<Pool | PoolClient, 'query'>,
  projection: string,
  topics?: readonly string[],
): Promise<PartitionPosition[]> {
  const { rows } = await db.query<PositionRow>(
    `select topic, partition, "offset", global_position, last_recorded_at, updated_at from projection_positions
      where projection = $1 and ($2::text[] is null or topic = any($2::text[])) order by topic, partition`,
    [projection, topics ?? null],
  );
  return rows.map((row) => ({
    topic: row.topic,
    partition: row.partition,
    offset: Number(row.offset),
    globalPosition: row.global_position === null ? null : Number(row.global_position),
    lastRecordedAt: row.last_recorded_at,
    updatedAt: row.updated_at,
  }));
}

/** A partition's last processed offset, for `advancePositions`. */
export interface ProcessedOffset {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Moves partitions' positions forward to `offsets`, never back, in one statement outside any chunk
 * transaction: for chunks that applied nothing (every record of a type the consumer ignores), whose
 * position is written later and in bulk. A chunk's own transaction may have moved it further meanwhile.
 */
export async function advancePositions(
  db: Pick<Pool | PoolClient, 'query'>,
  projection: string,
  offsets: readonly ProcessedOffset[],
): Promise<void> {
  if (offsets.length === 0) return;
  await db.query(
    `insert into projection_positions (projection, topic, partition, "offset")
     select $1, topic, partition, "offset" from unnest($2::text[], $3::integer[], $4::bigint[]) as u(topic, partition, "offset")
     on conflict (projection, topic, partition) do update set "offset" = excluded."offset", updated_at = now()
      where projection_positions."offset" < excluded."offset"`,
    [
      projection,
      offsets.map((each) => each.topic),
      offsets.map((each) => each.partition),
      offsets.map((each) => each.offset),
    ],
  );
}
