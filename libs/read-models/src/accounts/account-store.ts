import type { PoolClient } from 'pg';
import type { SqlWrite } from '@ledger/projections';
import { minorUnits } from '../minor-units';
import { recordsetWrite } from '../recordset';
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

/** The stored summaries of these accounts, locked until the transaction ends. */
export async function lockAccountSummaries(
  tx: PoolClient,
  accountIds: readonly string[],
  tables: AccountTables,
): Promise<Map<string, AccountSummary>> {
  const { rows } = await tx.query<SummaryRow>(
    `select * from ${tables.summaries} where account_id = any($1::uuid[]) order by account_id for update`,
    [accountIds],
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

/** Upserts the summaries (new ones inserted, the changing columns of existing ones overwritten), in one statement. */
export function saveAccountSummaries(
  summaries: readonly AccountSummary[],
  tables: AccountTables,
): SqlWrite | undefined {
  if (summaries.length === 0) return undefined;
  return recordsetWrite(
    `insert into ${tables.summaries}`,
    {
      account_id: 'uuid',
      owner_id: 'text',
      currency: 'text',
      balance: 'bigint',
      overdraft_limit: 'bigint',
      daily_withdrawal_limit: 'bigint',
      status: 'text',
      freeze_reason: 'text',
      version: 'integer',
      last_global_position: 'bigint',
      opened_at: 'timestamptz',
      updated_at: 'timestamptz',
      opened_recorded_at: 'timestamptz',
    },
    summaries.map((s) => ({
      account_id: s.accountId,
      owner_id: s.ownerId,
      currency: s.currency,
      balance: s.balance,
      overdraft_limit: s.overdraftLimit,
      daily_withdrawal_limit: s.dailyWithdrawalLimit,
      status: s.status,
      freeze_reason: s.freezeReason,
      version: s.version,
      last_global_position: s.lastGlobalPosition,
      opened_at: s.openedAt,
      updated_at: s.updatedAt,
      opened_recorded_at: s.openedRecordedAt,
    })),
    `on conflict (account_id) do update set
       balance = excluded.balance,
       overdraft_limit = excluded.overdraft_limit,
       daily_withdrawal_limit = excluded.daily_withdrawal_limit,
       status = excluded.status,
       freeze_reason = excluded.freeze_reason,
       version = excluded.version,
       last_global_position = excluded.last_global_position,
       updated_at = excluded.updated_at`,
  );
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
  return recordsetWrite(
    `insert into ${tables.statement}`,
    {
      account_id: 'uuid',
      stream_version: 'integer',
      event_id: 'uuid',
      kind: 'text',
      amount: 'bigint',
      balance_after: 'bigint',
      currency: 'text',
      reference: 'text',
      transfer_id: 'uuid',
      counterparty_account_id: 'uuid',
      occurred_at: 'timestamptz',
      global_position: 'bigint',
      recorded_at: 'timestamptz',
    },
    entries.map((e) => ({
      account_id: e.accountId,
      stream_version: e.streamVersion,
      event_id: e.eventId,
      kind: e.kind,
      amount: e.amount,
      balance_after: e.balanceAfter,
      currency: e.currency,
      reference: e.reference,
      transfer_id: e.transferId,
      counterparty_account_id: e.counterpartyAccountId,
      occurred_at: e.occurredAt,
      global_position: e.globalPosition,
      recorded_at: e.recordedAt,
    })),
  );
}
