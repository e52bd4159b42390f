import { EVENT_COLUMNS } from './rows';

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
 * exact: resume strictly after it, skip nothing, deliver nothing twice.
 *
 * Cost: a long-running writing transaction anywhere on the server (xids are cluster-wide) holds the tail
 * back until it ends; it delays events, never loses them.
 */
export const SAFE_READ = `
  select ${EVENT_COLUMNS}
  from events
  where (transaction_id, global_position) > ($1::xid8, $2::bigint)
    and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  order by transaction_id, global_position
  limit $3`;

/** Whether committed events wait beyond the horizon, i.e. the reader should look again soon. */
export const WITHHELD_CHECK = `
  select exists (
    select 1 from events where transaction_id >= pg_snapshot_xmin(pg_current_snapshot())
  ) as withheld`;
