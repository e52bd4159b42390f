import type { PoolClient } from 'pg';
import type { SqlWrite } from '@ledger/projections';
import { minorUnits } from '../minor-units';
import { guardLockCondition } from '../projection-options';
import type { AccountTables } from '../tables';
import type { AccountSummary, StatementEntry } from './account-rows';

interface SummaryRow {
  account_id: string;
  owner_id: string;
  currency: string;
  balance: string;
  overdraft_limit: string;
  daily_withdrawal_limit: string;
  status: AccountSummary['status'];
  freeze_reason: string | null;
  version: number;
  last_global_position: string;
  opened_at: Date;
  opened_recorded_at: Date | null;
  updated_at: Date;
}

/**
 * The stored summaries of these accounts, locked until the transaction ends; with `guardLockKey`, the
 * same statement takes that advisory lock shared (see WriteGuard).
 */
export async function lockAccountSummaries(
  tx: PoolClient,
  accountIds: readonly string[],
  tables: AccountTables,
  guardLockKey?: string,
): Promise<Map<string, AccountSummary>> {
  const guarded = guardLockKey === undefined ? '' : ` and ${guardLockCondition(2)}`;
  const { rows } = await tx.query<SummaryRow>(
    `select * from ${tables.summaries} where account_id = any($1::uuid[])${guarded} order by account_id for update`,
    guardLockKey === undefined ? [accountIds] : [accountIds, guardLockKey],
  );
  return new Map(
    rows.map((row) => [
      row.account_id,
      {
        accountId: row.account_id,
        ownerId: row.owner_id,
        currency: row.currency,
        balance: minorUnits(row.balance, 'stored balance'),
        overdraftLimit: minorUnits(row.overdraft_limit, 'stored overdraft limit'),
        dailyWithdrawalLimit: minorUnits(row.daily_withdrawal_limit, 'stored daily withdrawal limit'),
        status: row.status,
        freezeReason: row.freeze_reason,
        version: row.version,
        lastGlobalPosition: Number(row.last_global_position),
        openedAt: row.opened_at.toISOString(),
        // Rows written before the read model kept record times count as recorded from the start.
        openedRecordedAt: (row.opened_recorded_at ?? new Date(0)).toISOString(),
        updatedAt: row.updated_at.toISOString(),
      },
    ]),
  );
}

/** Destination account of each of these transfers, from the source account's stored debit entry. */
export async function debitCounterparties(
  tx: PoolClient,
  transferIds: readonly string[],
  tables: AccountTables,
): Promise<Map<string, string>> {
  if (transferIds.length === 0) return new Map();
  const { rows } = await tx.query<{ transfer_id: string; counterparty_account_id: string }>(
    `select transfer_id, counterparty_account_id from ${tables.statement}
      where transfer_id = any($1::uuid[]) and kind = 'transfer_debit' and counterparty_account_id is not null`,
    [transferIds],
  );
  return new Map(rows.map((row) => [row.transfer_id, row.counterparty_account_id]));
}

/** Upserts the summaries (new ones inserted, the changing columns of existing ones overwritten): the changing columns of existing ones, all in one statement. */
export function saveAccountSummaries(
  summaries: readonly AccountSummary[],
  tables: AccountTables,
): SqlWrite | undefined {
  if (summaries.length === 0) return undefined;
  return {
    text: `insert into ${tables.summaries} (account_id, owner_id, currency, balance, overdraft_limit, daily_withdrawal_limit,
                                    status, freeze_reason, version, last_global_position, opened_at, updated_at,
                                    opened_recorded_at)
     select * from unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[],
                          $7::text[], $8::text[], $9::integer[], $10::bigint[], $11::timestamptz[], $12::timestamptz[],
                          $13::timestamptz[])
     on conflict (account_id) do update set
       balance = excluded.balance,
       overdraft_limit = excluded.overdraft_limit,
       daily_withdrawal_limit = excluded.daily_withdrawal_limit,
       status = excluded.status,
       freeze_reason = excluded.freeze_reason,
       version = excluded.version,
       last_global_position = excluded.last_global_position,
       updated_at = excluded.updated_at`,
    values: [
      summaries.map((s) => s.accountId),
      summaries.map((s) => s.ownerId),
      summaries.map((s) => s.currency),
      summaries.map((s) => s.balance),
      summaries.map((s) => s.overdraftLimit),
      summaries.map((s) => s.dailyWithdrawalLimit),
      summaries.map((s) => s.status),
      summaries.map((s) => s.freezeReason),
      summaries.map((s) => s.version),
      summaries.map((s) => s.lastGlobalPosition),
      summaries.map((s) => s.openedAt),
      summaries.map((s) => s.updatedAt),
      summaries.map((s) => s.openedRecordedAt),
    ],
  };
}

/**
 * Inserts statement entries, as one write. No `on conflict`: an entry that exists means the runtime's
 * checkpoint and the read model disagree, which must fail loudly rather than be papered over.
 */
export function insertStatementEntries(
  entries: readonly StatementEntry[],
  tables: AccountTables,
): SqlWrite | undefined {
  if (entries.length === 0) return undefined;
  return {
    text: `insert into ${tables.statement} (account_id, stream_version, event_id, kind, amount, balance_after, currency,
                                            reference, transfer_id, counterparty_account_id, occurred_at, global_position,
                                            recorded_at)
     select * from unnest($1::uuid[], $2::integer[], $3::uuid[], $4::text[], $5::bigint[], $6::bigint[], $7::text[],
                          $8::text[], $9::uuid[], $10::uuid[], $11::timestamptz[], $12::bigint[], $13::timestamptz[])`,
    values: [
      entries.map((e) => e.accountId),
      entries.map((e) => e.streamVersion),
      entries.map((e) => e.eventId),
      entries.map((e) => e.kind),
      entries.map((e) => e.amount),
      entries.map((e) => e.balanceAfter),
      entries.map((e) => e.currency),
      entries.map((e) => e.reference),
      entries.map((e) => e.transferId),
      entries.map((e) => e.counterpartyAccountId),
      entries.map((e) => e.occurredAt),
      entries.map((e) => e.globalPosition),
      entries.map((e) => e.recordedAt),
    ],
  };
}
