import type { Pool, PoolClient } from 'pg';

// The queries over the account read model, next to the projection that writes it. Both answer on two axes
// (docs/adr/0011-time-axes.md): an entry counts when it took effect by `asOf` (occurred_at, business time)
// and was recorded by `knownAt` (recorded_at, record time). The command side's `foldAsOf` applies the same
// rule to the events; a property test holds the two to one answer.

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** Both axes, as instants. */
export interface AsOfAxes {
  asOf: string;
  knownAt: string;
}

// Rows without a record time predate it; they count as recorded from the start (see schema.ts).
const KNOWN = `coalesce(recorded_at, '-infinity') <= $3::timestamptz`;
const OPENED_KNOWN = `coalesce(a.opened_recorded_at, '-infinity') <= $3::timestamptz`;

export interface BalanceAsOfRow {
  currency: string;
  /** Whose account it is, for the caller's ownership check. */
  owner_id: string;
  /** False when the account was not open yet on these axes. */
  existed: boolean;
  /** Signed sum of the entries that count, minor units as text (bigint). */
  balance: string;
  stream_version: number | null;
  occurred_at: Date | null;
  recorded_at: Date | null;
  global_position: string | null;
}

/**
 * The balance on both axes: the sum of the entries that count, and the latest of them in business-time
 * order. Undefined when the account is unknown to the read model.
 */
export async function queryBalanceAsOf(
  db: Queryable,
  accountId: string,
  axes: AsOfAxes,
): Promise<BalanceAsOfRow | undefined> {
  const { rows } = await db.query<BalanceAsOfRow>(
    `select a.currency, a.owner_id, (a.opened_at <= $2::timestamptz and ${OPENED_KNOWN}) as existed,
            coalesce(s.balance, 0)::text as balance,
            e.stream_version, e.occurred_at, e.recorded_at, e.global_position
       from account_summaries a
       left join lateral (
         select sum(amount) as balance from account_statement_entries
          where account_id = a.account_id and occurred_at <= $2::timestamptz and ${KNOWN}) s on true
       left join lateral (
         select stream_version, occurred_at, recorded_at, global_position from account_statement_entries
          where account_id = a.account_id and occurred_at <= $2::timestamptz and ${KNOWN}
          order by occurred_at desc, stream_version desc
          limit 1) e on true
      where a.account_id = $1`,
    [accountId, axes.asOf, axes.knownAt],
  );
  return rows[0];
}

export interface StatementRow {
  stream_version: number;
  event_id: string;
  kind: string;
  amount: string;
  /** Running balance in business-time order over the entries known at knownAt. */
  balance_after: string;
  currency: string;
  reference: string | null;
  transfer_id: string | null;
  counterparty_account_id: string | null;
  occurred_at: Date;
  /** occurred_at to the microsecond, for cursors: a Date keeps only milliseconds. */
  occurred_key: string;
  recorded_at: Date | null;
  global_position: string;
}

export interface StatementFilter extends AsOfAxes {
  /** Business time, inclusive. */
  from?: string;
  /** Business time, exclusive. */
  to?: string;
  /** Resume after this entry (business time to the microsecond, stream version). */
  after?: { occurredAt: string; streamVersion: number };
  limit: number;
}

/**
 * A page of an account's statement on both axes, oldest first in business time. The running balance is
 * recomputed in that order over the entries known at knownAt, so it matches `queryBalanceAsOf` at every
 * entry even where business times and recording order differ.
 */
export async function queryStatement(
  db: Queryable,
  accountId: string,
  filter: StatementFilter,
): Promise<StatementRow[]> {
  const { rows } = await db.query<StatementRow>(
    `select * from (
       select stream_version, event_id, kind, amount, currency, reference, transfer_id, counterparty_account_id,
              occurred_at, recorded_at, global_position,
              (sum(amount) over (order by occurred_at, stream_version))::text as balance_after,
              to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as occurred_key
         from account_statement_entries
        where account_id = $1 and occurred_at <= $2::timestamptz and ${KNOWN}) entries
      where ($4::timestamptz is null or occurred_at >= $4)
        and ($5::timestamptz is null or occurred_at < $5)
        and ($6::timestamptz is null or (occurred_at, stream_version) > ($6, $7::integer))
      order by occurred_at, stream_version
      limit $8`,
    [
      accountId,
      filter.asOf,
      filter.knownAt,
      filter.from ?? null,
      filter.to ?? null,
      filter.after?.occurredAt ?? null,
      filter.after?.streamVersion ?? null,
      filter.limit,
    ],
  );
  return rows;
}
