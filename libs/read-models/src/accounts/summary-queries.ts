import type { Pool, PoolClient } from 'pg';

// The queries over `account_summaries`, beside the projection that writes it. They name the canonical
// table: a rebuild swaps a new version in under that name (ADR 0020), so a query reads one version whole.

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** A row of `account_summaries` as read: money and positions as text (bigint), times as Dates. */
export interface AccountSummaryRecord {
  account_id: string;
  owner_id: string;
  currency: string;
  balance: string;
  overdraft_limit: string;
  daily_withdrawal_limit: string;
  status: string;
  freeze_reason: string | null;
  version: number;
  last_global_position: string;
  opened_at: Date;
  updated_at: Date;
}

const COLUMNS = `account_id, owner_id, currency, balance, overdraft_limit, daily_withdrawal_limit,
  status, freeze_reason, version, last_global_position, opened_at, updated_at`;

/** The account's summary; undefined when the read model does not know it. */
export async function queryAccountSummary(
  db: Queryable,
  accountId: string,
): Promise<AccountSummaryRecord | undefined> {
  const { rows } = await db.query<AccountSummaryRecord>(
    `select ${COLUMNS} from account_summaries where account_id = $1`,
    [accountId],
  );
  return rows[0];
}

/** Who owns the account and in which currency it is kept, for ownership checks; undefined when unknown. */
export async function queryAccountOwner(
  db: Queryable,
  accountId: string,
): Promise<{ ownerId: string; currency: string } | undefined> {
  const { rows } = await db.query<{ owner_id: string; currency: string }>(
    'select owner_id, currency from account_summaries where account_id = $1',
    [accountId],
  );
  const row = rows[0];
  return row && { ownerId: row.owner_id, currency: row.currency };
}

export interface AccountListFilter {
  ownerId?: string;
  status?: string;
  /** Resume after this account id. */
  afterAccountId?: string;
  limit: number;
}

/** Accounts in account id order (the owner index's order), optionally of one owner or in one status. */
export async function queryAccountSummaries(
  db: Queryable,
  filter: AccountListFilter,
): Promise<AccountSummaryRecord[]> {
  const { rows } = await db.query<AccountSummaryRecord>(
    `select ${COLUMNS} from account_summaries
      where ($1::text is null or owner_id = $1)
        and ($2::text is null or status = $2)
        and ($3::uuid is null or account_id > $3)
      order by account_id
      limit $4`,
    [filter.ownerId ?? null, filter.status ?? null, filter.afterAccountId ?? null, filter.limit],
  );
  return rows;
}
