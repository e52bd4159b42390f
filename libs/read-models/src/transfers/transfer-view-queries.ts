import type { Pool, PoolClient } from 'pg';

// The queries over `transfers` and `transfer_history`, beside the projection that writes them. A transfer's
// visibility to a customer depends on who owns its accounts, so the lookup of one transfer also reads the
// owners from the account read model, in the same statement (one snapshot).

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** A row of `transfers` as read: money and positions as text (bigint), times as Dates. */
export interface TransferRecord {
  transfer_id: string;
  from_account_id: string;
  to_account_id: string;
  amount: string;
  currency: string;
  status: string;
  failure_stage: string | null;
  failure_reason: string | null;
  version: number;
  last_global_position: string;
  requested_at: Date;
  updated_at: Date;
}

/** A row of `transfer_history`, built by json_agg: timestamps and the global position as Postgres text. */
export interface TransferStepRecord {
  stream_version: number;
  event_id: string;
  event_type: string;
  status: string;
  detail: Record<string, unknown>;
  occurred_at: string;
  recorded_at: string | null;
  global_position: string;
}

export interface TransferDetailRecord extends TransferRecord {
  /** Every event of the transfer in stream order; null when none is recorded. */
  history: TransferStepRecord[] | null;
  /** Owners of the two accounts; null where the account read model does not know the account (yet). */
  from_owner: string | null;
  to_owner: string | null;
}

const COLUMNS = `transfer_id, from_account_id, to_account_id, amount, currency, status, failure_stage,
  failure_reason, version, last_global_position, requested_at, updated_at`;

/** The transfer, its history and its accounts' owners, from one snapshot; undefined when unknown. */
export async function queryTransferDetail(
  db: Queryable,
  transferId: string,
): Promise<TransferDetailRecord | undefined> {
  const { rows } = await db.query<TransferDetailRecord>(
    `select ${COLUMNS},
            (select owner_id from account_summaries where account_id = t.from_account_id) as from_owner,
            (select owner_id from account_summaries where account_id = t.to_account_id) as to_owner,
            (select json_agg(h order by h.stream_version)
               from (select stream_version, event_id, event_type, status, detail, occurred_at, recorded_at,
                            global_position::text as global_position
                       from transfer_history where transfer_id = t.transfer_id) h) as history
       from transfers t where transfer_id = $1`,
    [transferId],
  );
  return rows[0];
}

export interface AccountTransfersFilter {
  /** Transfers from or to this account. */
  accountId: string;
  status?: string;
  /** Resume after this transfer: request time to the microsecond, then id. */
  after?: { requestedAt: string; transferId: string };
  limit: number;
}

export interface AccountTransferRecord extends TransferRecord {
  /** requested_at to the microsecond, for cursors: a Date keeps only milliseconds. */
  requested_key: string;
}

// Each side walks its own index (from / to account, by request time) up to one page, then the two merge:
// an OR over both columns would read every transfer of the account before sorting.
const SIDE = (column: string) => `(
  select ${COLUMNS} from transfers
   where ${column} = $1
     and ($2::text is null or status = $2)
     and ($3::timestamptz is null or (requested_at, transfer_id) > ($3, $4::uuid))
   order by requested_at, transfer_id
   limit $5)`;

/** A page of the transfers from or to an account, oldest request first. */
export async function queryAccountTransfers(
  db: Queryable,
  filter: AccountTransfersFilter,
): Promise<AccountTransferRecord[]> {
  const { rows } = await db.query<AccountTransferRecord>(
    `select *, to_char(requested_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as requested_key
       from (${SIDE('from_account_id')} union ${SIDE('to_account_id')}) t
      order by requested_at, transfer_id
      limit $5`,
    [
      filter.accountId,
      filter.status ?? null,
      filter.after?.requestedAt ?? null,
      filter.after?.transferId ?? null,
      filter.limit,
    ],
  );
  return rows;
}
