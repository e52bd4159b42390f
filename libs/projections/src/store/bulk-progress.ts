import type { PoolClient } from 'pg';
import type { PositionUpdate } from './checkpoints';

/** Rows per statement: keeps each statement's parameters to a few megabytes. */
const ROWS_PER_STATEMENT = 20_000;

/**
 * What a projection has applied when its first events were applied outside the runtime (a rebuild's bulk
 * load): each stream's applied version and each partition's position, as the runtime's chunks would have
 * left them had they applied the same records. Run it in the transaction that commits the read model's
 * rows, for a projection that has no checkpoints or positions yet (a new consumer group); the runtime
 * then starts from there, skipping by these checkpoints whatever it reads again.
 */
export async function recordBulkProgress(
  tx: PoolClient,
  projection: string,
  checkpoints: ReadonlyMap<string, number>,
  positions: readonly PositionUpdate[],
): Promise<void> {
  const streams = [...checkpoints.keys()];
  for (let start = 0; start < streams.length; start += ROWS_PER_STATEMENT) {
    const slice = streams.slice(start, start + ROWS_PER_STATEMENT);
    await tx.query(
      `insert into projection_checkpoints (projection, stream_id, version)
       select $1, stream_id, version from unnest($2::text[], $3::bigint[]) as u(stream_id, version)`,
      [projection, slice, slice.map((stream) => checkpoints.get(stream))],
    );
  }
  if (positions.length === 0) return;
  await tx.query(
    `insert into projection_positions (projection, topic, partition, "offset", global_position, last_recorded_at)
     select $1, topic, partition, "offset", global_position, last_recorded_at
       from unnest($2::text[], $3::integer[], $4::bigint[], $5::bigint[], $6::timestamptz[])
            as u(topic, partition, "offset", global_position, last_recorded_at)`,
    [
      projection,
      positions.map((p) => p.topic),
      positions.map((p) => p.partition),
      positions.map((p) => p.offset),
      positions.map((p) => p.globalPosition ?? null),
      positions.map((p) => p.lastRecordedAt ?? null),
    ],
  );
}
