import type { Pool } from 'pg';

/** Called after each deleted batch with the rows deleted so far and the total when it started. */
export type PurgeProgress = (deleted: number, total: number) => void;

const DEFAULT_BATCH = 1000;

/**
 * Deletes idempotency keys recorded before `before`, in batches (short transactions, no long lock on the
 * table the command path writes). A retry with a purged key is treated as a new request, so keep keys
 * longer than any client retries. Needs DELETE on idempotency_keys: the owner role (apps have none).
 */
export async function purgeIdempotencyKeys(
  pool: Pool,
  before: Date,
  options: { batchSize?: number; onProgress?: PurgeProgress; dryRun?: boolean } = {},
): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    'select count(*) as n from idempotency_keys where created_at < $1',
    [before],
  );
  const total = Number(rows[0]!.n);
  if (options.dryRun || total === 0) return total;
  return deleteInBatches(
    pool,
    `delete from idempotency_keys where key in
       (select key from idempotency_keys where created_at < $1 order by created_at limit $2)`,
    [before],
    total,
    options,
  );
}

export interface SnapshotPruneRule {
  /** Keep this many snapshots per stream, the highest state versions (then the newest) first. */
  keep?: number;
  /** Delete snapshots taken before this time. */
  takenBefore?: Date;
}

/**
 * Deletes snapshots by `keep` and/or `takenBefore` (both: a snapshot goes when either rule drops it). A
 * stream always keeps its snapshot of the highest state version unless `takenBefore` drops it too; a
 * stream without a snapshot only loads slower, from its events.
 */
export async function pruneSnapshots(
  pool: Pool,
  rule: SnapshotPruneRule,
  options: { batchSize?: number; onProgress?: PurgeProgress; dryRun?: boolean } = {},
): Promise<number> {
  const doomed = `select stream_id, snapshot_version from (
      select stream_id, snapshot_version, taken_at,
             row_number() over (partition by stream_id order by snapshot_version desc, taken_at desc) as rank
        from snapshots) ranked
     where ($1::int is not null and rank > $1::int) or ($2::timestamptz is not null and taken_at < $2::timestamptz)`;
  const params = [rule.keep ?? null, rule.takenBefore ?? null];
  const { rows } = await pool.query<{ n: string }>(`select count(*) as n from (${doomed}) d`, params);
  const total = Number(rows[0]!.n);
  if (options.dryRun || total === 0) return total;
  return deleteInBatches(
    pool,
    `delete from snapshots s using (${doomed} limit $3) d
      where s.stream_id = d.stream_id and s.snapshot_version = d.snapshot_version`,
    params,
    total,
    options,
  );
}

async function deleteInBatches(
  pool: Pool,
  sql: string,
  params: unknown[],
  total: number,
  options: { batchSize?: number; onProgress?: PurgeProgress },
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { rowCount } = await pool.query(sql, [...params, options.batchSize ?? DEFAULT_BATCH]);
    if (!rowCount) return deleted;
    deleted += rowCount;
    options.onProgress?.(deleted, total);
  }
}
