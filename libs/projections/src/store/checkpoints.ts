import type { PoolClient } from 'pg';
import type { DecodedEvent } from '../event';
import { CheckpointConflictError } from '../errors';
import { runWrites, type SqlWrite } from './combined-writes';

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

/** What a chunk's transaction needs to know about its streams before it plans anything. */
export interface StreamStates {
  checkpoints: Checkpoints;
  /** Streams waiting behind a failed event: locked until the transaction ends. */
  parked: Set<string>;
}

/**
 * The checkpoints of `streamIds` and which of them are parked, in one round trip. The parked keys are
 * locked in a fixed order (no deadlocks), so a retry of the same stream waits for this transaction.
 */
export async function readStreamStates(
  tx: PoolClient,
  projection: string,
  streamIds: string[],
): Promise<StreamStates> {
  const { rows } = await tx.query<{ parked: boolean; stream_id: string; version: string | null }>(
    `with parked as (
       select stream_id from projection_parked_keys where projection = $1 and stream_id = any($2::text[])
        order by stream_id for update)
     select true as parked, stream_id, null::bigint as version from parked
     union all
     select false, stream_id, version from projection_checkpoints
      where projection = $1 and stream_id = any($2::text[])`,
    [projection, streamIds],
  );
  const checkpoints = new Map<string, number>();
  const parked = new Set<string>();
  for (const row of rows) {
    if (row.parked) parked.add(row.stream_id);
    else checkpoints.set(row.stream_id, Number(row.version));
  }
  return { checkpoints, parked };
}

/**
 * Moves each stream's checkpoint to the highest applied version, provided it still holds the version read
 * at the start of the transaction, and records the partition's position when given, in one statement.
 * Another writer having moved a checkpoint (a consumer that lost its partition but has not noticed yet)
 * raises CheckpointConflictError, which rolls everything back for a clean retry.
 */
export async function advanceCheckpoints(
  tx: PoolClient,
  projection: string,
  read: Checkpoints,
  applied: readonly DecodedEvent[],
  position?: PositionUpdate,
): Promise<void> {
  await runWrites(tx, checkpointWrites(projection, read, applied, position));
}

/**
 * advanceCheckpoints as writes, for a caller that joins them to its own (runWrites): the guarded update of
 * the streams read before, the insert of new ones (each verified by its row count) and the position.
 */
export function checkpointWrites(
  projection: string,
  read: Checkpoints,
  applied: readonly DecodedEvent[],
  position?: PositionUpdate,
): SqlWrite[] {
  const target = new Map<string, number>();
  for (const event of applied)
    target.set(event.streamId, Math.max(target.get(event.streamId) ?? 0, event.streamVersion));
  const streams = [...target.keys()].sort();
  const existing = streams.filter((stream) => read.has(stream));
  const fresh = streams.filter((stream) => !read.has(stream));
  const writes: SqlWrite[] = [];
  const expectRows = (expected: number, conflict: string): SqlWrite['check'] => ({
    expression: (result) => `(select count(*) from ${result})::int`,
    verify: (count) => {
      if (count !== expected) throw new CheckpointConflictError(conflict);
    },
  });
  if (existing.length > 0)
    writes.push({
      text: `update projection_checkpoints c set version = u.version, updated_at = now()
               from unnest($2::text[], $3::bigint[], $4::bigint[]) as u(stream_id, expected, version)
              where c.projection = $1 and c.stream_id = u.stream_id and c.version = u.expected
             returning 1`,
      values: [projection, existing, existing.map((s) => read.get(s)), existing.map((s) => target.get(s))],
      check: expectRows(existing.length, 'a checkpoint moved under this transaction'),
    });
  if (fresh.length > 0)
    writes.push({
      text: `insert into projection_checkpoints (projection, stream_id, version)
             select $1, stream_id, version from unnest($2::text[], $3::bigint[]) as u(stream_id, version)
             on conflict do nothing
             returning 1`,
      values: [projection, fresh, fresh.map((s) => target.get(s))],
      check: expectRows(fresh.length, 'a checkpoint appeared under this transaction'),
    });
  if (position)
    writes.push({
      text: `insert into projection_positions (projection, topic, partition, "offset", global_position, last_recorded_at)
             values ($1, $2, $3, $4, $5, $6)
             on conflict (projection, topic, partition) do update set
               "offset" = excluded."offset",
               global_position = greatest(projection_positions.global_position, excluded.global_position),
               last_recorded_at = coalesce(excluded.last_recorded_at, projection_positions.last_recorded_at),
               updated_at = now()`,
      values: [
        projection,
        position.topic,
        position.partition,
        position.offset,
        position.globalPosition ?? null,
        position.lastRecordedAt ?? null,
      ],
    });
  return writes;
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
