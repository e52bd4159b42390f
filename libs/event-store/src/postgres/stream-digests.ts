import type { Pool, PoolClient } from 'pg';

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** What the store holds of one stream, for reconciliation: its head and a digest of its money events. */
export interface StoreStreamDigest {
  streamId: string;
  headVersion: number;
  headPosition: number;
  headRecordedAt: Date;
  lastEventType: string;
  /** Money-moving events (deposits, withdrawals, transfer debits, credits and refunds). */
  moneyEvents: number;
  credits: number;
  debits: number;
  /** md5 over `version:type:amount` of the money events in version order, joined by commas. */
  moneyDigest: string;
}

interface DigestRow {
  stream_id: string;
  head_version: number;
  head_position: string;
  head_recorded_at: Date;
  last_event_type: string;
  money_events: number;
  credits: string;
  debits: string;
  money_digest: string;
}

/**
 * The store's digest of each of these streams (absent ones are left out). Runs through a SECURITY DEFINER
 * function, so a role that may not read events' data (a projector) can still reconcile.
 */
export async function storeStreamDigests(
  db: Queryable,
  streamIds: readonly string[],
): Promise<Map<string, StoreStreamDigest>> {
  if (streamIds.length === 0) return new Map();
  const { rows } = await db.query<DigestRow>(`select * from reconciliation_stream_digests($1::text[])`, [
    streamIds,
  ]);
  return new Map(
    rows.map((row) => [
      row.stream_id,
      {
        streamId: row.stream_id,
        headVersion: row.head_version,
        headPosition: Number(row.head_position),
        headRecordedAt: row.head_recorded_at,
        lastEventType: row.last_event_type,
        moneyEvents: row.money_events,
        credits: Number(row.credits),
        debits: Number(row.debits),
        moneyDigest: row.money_digest,
      },
    ]),
  );
}

/**
 * Streams of `streamType` with an event at a global position in (after, upto], at most `limit`, by their
 * last such position: the incremental pass walks the log with a cursor. Returns the streams and the
 * position the cursor may move to (the last one returned, or `upto` when the range is exhausted).
 */
export async function streamsInPositionRange(
  db: Queryable,
  range: { after: number; upto: number; streamType: string; limit: number },
): Promise<{ streamIds: string[]; next: number }> {
  const { rows } = await db.query<{ stream_id: string; last_position: string }>(
    `select * from reconciliation_streams($1, $2, $3, $4)`,
    [range.after, range.upto, range.streamType, range.limit],
  );
  const next = rows.length < range.limit ? range.upto : Number(rows[rows.length - 1]!.last_position);
  return { streamIds: rows.map((row) => row.stream_id), next };
}

/** A page of `streamType` streams in id order after `afterStreamId` (''), for a full pass. */
export async function streamPage(
  db: Queryable,
  page: { afterStreamId: string; streamType: string; limit: number },
): Promise<string[]> {
  const { rows } = await db.query<{ stream_id: string }>(
    `select * from reconciliation_stream_page($1, $2, $3)`,
    [page.afterStreamId, page.streamType, page.limit],
  );
  return rows.map((row) => row.stream_id);
}

/** The highest global position in the store, through the same narrow grant (0 when empty). */
export async function storeHeadPosition(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ head: string | null }>(`select reconciliation_head_position() as head`);
  return Number(rows[0]?.head ?? 0);
}
