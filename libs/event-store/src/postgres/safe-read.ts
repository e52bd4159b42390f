import { EVENT_COLUMNS, type EventRow } from './rows';

/*
 * The gap-free log.
 *
 * Problem: global_position is taken from a sequence at insert time, but rows become visible at commit.
 * A transaction holding position 10 can commit after one holding 11, so a reader that remembers "read up
 * to 11" would never see 10.
 *
 * Invariant: the log is ordered by (transaction_id, global_position), and a reader only returns rows whose
 * transaction_id is below xmin of its own snapshot: the oldest transaction id still running. Every
 * transaction below xmin has finished, so the set of rows below xmin is final, and any transaction that
 * writes later gets an id at or above that xmin. Hence no row can ever appear before a position the reader
 * has returned, and a checkpoint of (transaction_id, global_position) of the last delivered event is
 * exact: resume strictly after it, skip nothing, deliver nothing twice. (A checkpoint on global_position
 * alone is not: a transaction takes its id at its first write and its positions later, so an older
 * transaction can hold higher positions than a younger one that commits after it.)
 *
 * Cost: a long-running writing transaction anywhere on the server (xids are cluster-wide) holds the tail
 * back until it ends; it delays events, never loses them.
 *
 * The query also says whether committed rows wait beyond the horizon, from the same snapshot: a second
 * statement could see the horizon already moved past them, and the tail would sleep a full poll interval
 * although events are ready. The lateral join yields one all-null row when the batch is empty, so the flag
 * always arrives.
 */
export const SAFE_READ = `
  with horizon as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin)
  select batch.*,
         exists (select 1 from events pending where pending.transaction_id >= horizon.xmin) as withheld
  from horizon
  left join lateral (
    select ${EVENT_COLUMNS}, transaction_id as log_transaction, global_position as log_position
    from events
    where (transaction_id, global_position) > ($1::xid8, $2::bigint)
      and transaction_id < horizon.xmin
    -- Qualified: bare names would sort by the text-cast output columns of EVENT_COLUMNS ('10' < '9').
    order by events.transaction_id, events.global_position
    limit $3
  ) batch on true
  order by batch.log_transaction, batch.log_position`;

/** A SAFE_READ row: an event's columns, or all null when the batch is empty, plus the flag. */
export type SafeReadRow = { [K in keyof EventRow]: EventRow[K] | null } & { withheld: boolean };

export function isEventRow(row: SafeReadRow): row is EventRow & { withheld: boolean } {
  return row.global_position !== null;
}
