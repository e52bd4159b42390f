import type { Pool, PoolClient } from 'pg';

/** What the accounts read model has applied of one account, in the store digest's terms. */
export interface AccountReadDigest {
  accountId: string;
  /** Null when the account has no summary row. */
  version: number | null;
  balance: number | null;
  entries: number;
  credits: number;
  debits: number;
  /** md5 over `version:event type:amount` of the statement entries, as the store's money digest. */
  moneyDigest: string;
  lastBalanceAfter: number | null;
  /** Entries whose balance_after is not the running sum of the amounts up to them. */
  brokenRunningBalances: number;
}

interface Row {
  account_id: string;
  version: number | null;
  balance: string | null;
  entries: number;
  credits: string;
  debits: string;
  money_digest: string;
  last_balance_after: string | null;
  broken: number;
}

/** The accounts read model's digest of each of these accounts, one per id (absent rows as nulls). */
export async function accountReadDigests(
  db: Pick<Pool | PoolClient, 'query'>,
  accountIds: readonly string[],
): Promise<Map<string, AccountReadDigest>> {
  if (accountIds.length === 0) return new Map();
  const { rows } = await db.query<Row>(
    `select ids.account_id, s.version, s.balance, x.entries, x.credits, x.debits, x.money_digest,
            x.last_balance_after, x.broken
       from unnest($1::uuid[]) as ids (account_id)
       left join account_summaries s on s.account_id = ids.account_id
       cross join lateral (
         select count(*)::integer as entries,
                coalesce(sum(e.amount) filter (where e.amount > 0), 0) as credits,
                coalesce(-sum(e.amount) filter (where e.amount < 0), 0) as debits,
                md5(coalesce(string_agg(e.stream_version || ':' || (case e.kind
                    when 'deposit' then 'ledger.accounts.MoneyDeposited'
                    when 'withdrawal' then 'ledger.accounts.MoneyWithdrawn'
                    when 'transfer_debit' then 'ledger.accounts.TransferDebited'
                    when 'transfer_credit' then 'ledger.accounts.TransferCredited'
                    when 'transfer_refund' then 'ledger.accounts.TransferRefunded' end) || ':' || abs(e.amount), ','
                  order by e.stream_version), '')) as money_digest,
                (array_agg(e.balance_after order by e.stream_version desc))[1] as last_balance_after,
                (count(*) filter (where e.balance_after <> e.running))::integer as broken
           from (select entry.*, sum(entry.amount) over (order by entry.stream_version) as running
                   from account_statement_entries entry where entry.account_id = ids.account_id) e
       ) x`,
    [accountIds],
  );
  return new Map(
    rows.map((row) => [
      row.account_id,
      {
        accountId: row.account_id,
        version: row.version,
        balance: row.balance === null ? null : Number(row.balance),
        entries: row.entries,
        credits: Number(row.credits),
        debits: Number(row.debits),
        moneyDigest: row.money_digest,
        lastBalanceAfter: row.last_balance_after === null ? null : Number(row.last_balance_after),
        brokenRunningBalances: row.broken,
      },
    ]),
  );
}
