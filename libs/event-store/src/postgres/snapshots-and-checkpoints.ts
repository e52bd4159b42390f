import type { Pool } from 'pg';
import type { LogPosition, Snapshot } from '../types';
import { toLogPosition, type LogPositionRow } from './rows';

// The side tables of the store: plain single-statement reads and upserts.

export async function readSnapshot(
  pool: Pool,
  streamId: string,
  snapshotVersion: number,
): Promise<Snapshot | undefined> {
  const { rows } = await pool.query<{ stream_version: number; state: unknown; taken_at: Date }>(
    'select stream_version, state, taken_at from snapshots where stream_id = $1 and snapshot_version = $2',
    [streamId, snapshotVersion],
  );
  const row = rows[0];
  return (
    row && {
      streamId,
      snapshotVersion,
      streamVersion: row.stream_version,
      state: row.state,
      takenAt: row.taken_at,
    }
  );
}

/** Keeps the newer snapshot when two writers race: a lower stream version never overwrites a higher one. */
export async function saveSnapshot(pool: Pool, snapshot: Snapshot): Promise<void> {
  await pool.query(
    `insert into snapshots (stream_id, snapshot_version, stream_version, state) values ($1, $2, $3, $4::jsonb)
     on conflict (stream_id, snapshot_version) do update
       set stream_version = excluded.stream_version, state = excluded.state, taken_at = excluded.taken_at
       where snapshots.stream_version < excluded.stream_version`,
    [snapshot.streamId, snapshot.snapshotVersion, snapshot.streamVersion, JSON.stringify(snapshot.state)],
  );
}

export async function loadCheckpoint(pool: Pool, name: string): Promise<LogPosition | undefined> {
  const { rows } = await pool.query<LogPositionRow>(
    'select transaction_id::text, global_position::text from checkpoints where name = $1',
    [name],
  );
  return rows[0] && toLogPosition(rows[0]);
}

export async function saveCheckpoint(pool: Pool, name: string, position: LogPosition): Promise<void> {
  await pool.query(
    `insert into checkpoints (name, transaction_id, global_position) values ($1, $2::xid8, $3)
     on conflict (name) do update set transaction_id = excluded.transaction_id,
       global_position = excluded.global_position, updated_at = excluded.updated_at
     where (checkpoints.transaction_id, checkpoints.global_position)
         < (excluded.transaction_id, excluded.global_position)`,
    [name, position.transactionId, position.globalPosition],
  );
}
