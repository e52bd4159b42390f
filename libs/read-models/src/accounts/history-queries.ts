import type { Pool, PoolClient } from 'pg';

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** A row of `account_history` as read: the global position as text (bigint). */
export interface AccountHistoryRecord {
  stream_version: number;
  event_id: string;
  event_type: string;
  detail: Record<string, unknown>;
  recorded_at: Date;
  global_position: string;
  actor: string | null;
  actor_role: string | null;
  origin_actor: string | null;
  origin_actor_role: string | null;
  correlation_id: string | null;
}

export interface AccountHistoryFilter {
  /** Resume after this stream version (0: from the first event). */
  afterVersion: number;
  limit: number;
}

/** A page of an account's audit trail, in stream order. */
export async function queryAccountHistory(
  db: Queryable,
  accountId: string,
  filter: AccountHistoryFilter,
): Promise<AccountHistoryRecord[]> {
  const { rows } = await db.query<AccountHistoryRecord>(
    `select stream_version, event_id, event_type, detail, recorded_at, global_position::text as global_position,
            actor, actor_role, origin_actor, origin_actor_role, correlation_id
       from account_history
      where account_id = $1 and stream_version > $2
      order by stream_version
      limit $3`,
    [accountId, filter.afterVersion, filter.limit],
  );
  return rows;
}
