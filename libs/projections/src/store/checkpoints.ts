import type { PoolClient } from 'pg';
import type { DecodedEvent } from '../event';
import { CheckpointConflictError } from '../errors';

/** Applied version per stream; streams never applied are absent. */
export type Checkpoints = ReadonlyMap<string, number>;

export async function readCheckpoints(
  tx: PoolClient,
  projection: string,
  streamIds: string[],
): Promise<Checkpoints> {
  const { rows } = await tx.query<{ stream_id: string; version: string }>(
    'select stream_id, version from projection_checkpoints where projection = $1 and stream_id = any($2::text[])',
    [projection, streamIds],
  );
  return new Map(rows.map((row) => [row.stream_id, Number(row.version)]));
}

/**
 * Moves each stream's checkpoint to the highest applied version, provided it still holds the version read
 * at the start of the transaction. Another writer having moved it (a consumer that lost its partition but
 * has not noticed yet) raises CheckpointConflictError, which rolls everything back for a clean retry.
 */
export async function advanceCheckpoints(
  tx: PoolClient,
  projection: string,
  read: Checkpoints,
  applied: readonly DecodedEvent[],
): Promise<void> {
  const target = new Map<string, number>();
  for (const event of applied)
    target.set(event.streamId, Math.max(target.get(event.streamId) ?? 0, event.streamVersion));
  const streams = [...target.keys()].sort();
  const existing = streams.filter((stream) => read.has(stream));
  const fresh = streams.filter((stream) => !read.has(stream));

  if (existing.length > 0) {
    const { rowCount } = await tx.query(
      `update projection_checkpoints c set version = u.version, updated_at = now()
         from unnest($2::text[], $3::bigint[], $4::bigint[]) as u(stream_id, expected, version)
        where c.projection = $1 and c.stream_id = u.stream_id and c.version = u.expected`,
      [projection, existing, existing.map((s) => read.get(s)), existing.map((s) => target.get(s))],
    );
    if (rowCount !== existing.length)
      throw new CheckpointConflictError('a checkpoint moved under this transaction');
  }
  if (fresh.length > 0) {
    const { rowCount } = await tx.query(
      `insert into projection_checkpoints (projection, stream_id, version)
       select $1, stream_id, version from unnest($2::text[], $3::bigint[]) as u(stream_id, version)
       on conflict do nothing`,
      [projection, fresh, fresh.map((s) => target.get(s))],
    );
    if (rowCount !== fresh.length)
      throw new CheckpointConflictError('a checkpoint appeared under this transaction');
  }
}

export interface PositionUpdate {
  topic: string;
  partition: number;
  /** Last offset of the processed chunk. */
  offset: string;
  /** Highest global position and latest recorded-at among the applied events, when any were applied. */
  globalPosition?: number;
  lastRecordedAt?: string;
}

export async function recordPosition(
  tx: PoolClient,
  projection: string,
  update: PositionUpdate,
): Promise<void> {
  await tx.query(
    `insert into projection_positions (projection, topic, partition, "offset", global_position, last_recorded_at)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (projection, topic, partition) do update set
       "offset" = excluded."offset",
       global_position = greatest(projection_positions.global_position, excluded.global_position),
       last_recorded_at = coalesce(excluded.last_recorded_at, projection_positions.last_recorded_at),
       updated_at = now()`,
    [
      projection,
      update.topic,
      update.partition,
      update.offset,
      update.globalPosition ?? null,
      update.lastRecordedAt ?? null,
    ],
  );
}

/**
 * Forgets what a projection applied (checkpoints and positions), for a rebuild: run it in the transaction
 * that truncates the read model, then reset the consumer group to the earliest offsets.
 * Parked streams stay parked.
 */
export async function clearCheckpoints(tx: PoolClient, projection: string): Promise<void> {
  await tx.query('delete from projection_checkpoints where projection = $1', [projection]);
  await tx.query('delete from projection_positions where projection = $1', [projection]);
}

/** The version of a stream a projection has applied, or 0: lets a query wait for its own write. */
export async function appliedVersion(
  tx: Pick<PoolClient, 'query'>,
  projection: string,
  streamId: string,
): Promise<number> {
  const { rows } = await tx.query<{ version: string }>(
    'select version from projection_checkpoints where projection = $1 and stream_id = $2',
    [projection, streamId],
  );
  return rows.length === 0 ? 0 : Number(rows[0]!.version);
}
