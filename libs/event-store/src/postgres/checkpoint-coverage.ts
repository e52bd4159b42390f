import type { Pool, PoolClient } from 'pg';

type Queryable = Pick<Pool | PoolClient, 'query'>;

/**
 * Whether a log checkpoint (the relay's) is at or past the event at `globalPosition` in log order
 * (transaction id, then global position). Global positions alone are not enough: a lower position in a
 * later-committing transaction is read after a higher one. False for a position without an event.
 */
export async function checkpointCovers(
  db: Queryable,
  checkpointName: string,
  globalPosition: number,
): Promise<boolean> {
  const { rows } = await db.query<{ covered: boolean }>(
    `select (c.transaction_id, c.global_position) >= (e.transaction_id, e.global_position) as covered
       from events e join checkpoints c on c.name = $2
      where e.global_position = $1`,
    [globalPosition, checkpointName],
  );
  return rows[0]?.covered === true;
}

/** The highest global position the store has handed out (0 when empty), read from the events table. */
export async function highestGlobalPosition(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ head: string }>(
    'select coalesce(max(global_position), 0)::text as head from events',
  );
  return Number(rows[0]!.head);
}

/** Answers when the tables behind `checkpointCovers` and `highestGlobalPosition` exist and are readable. */
export async function assertCheckpointTablesReadable(db: Queryable): Promise<void> {
  await db.query('select 1 from events, checkpoints limit 0');
}
