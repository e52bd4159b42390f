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
      account_id: ['uuid', (s) => s.accountId],
      owner_id: ['text', (s) => s.ownerId],
      currency: ['text', (s) => s.currency],
      balance: ['bigint', (s) => s.balance],
      overdraft_limit: ['bigint', (s) => s.overdraftLimit],
      daily_withdrawal_limit: ['bigint', (s) => s.dailyWithdrawalLimit],
      status: ['text', (s) => s.status],
      freeze_reason: ['text', (s) => s.freezeReason],
      version: ['integer', (s) => s.version],
      last_global_position: ['bigint', (s) => s.lastGlobalPosition],
      opened_at: ['timestamptz', (s) => s.openedAt],
      updated_at: ['timestamptz', (s) => s.updatedAt],
      opened_recorded_at: ['timestamptz', (s) => s.openedRecordedAt],
    },
    summaries,
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
      account_id: ['uuid', (e) => e.accountId],
      stream_version: ['integer', (e) => e.streamVersion],
      event_id: ['uuid', (e) => e.eventId],
      kind: ['text', (e) => e.kind],
      amount: ['bigint', (e) => e.amount],
      balance_after: ['bigint', (e) => e.balanceAfter],
      currency: ['text', (e) => e.currency],
      reference: ['text', (e) => e.reference],
      transfer_id: ['uuid', (e) => e.transferId],
      counterparty_account_id: ['uuid', (e) => e.counterpartyAccountId],
      occurred_at: ['timestamptz', (e) => e.occurredAt],
      global_position: ['bigint', (e) => e.globalPosition],
      recorded_at: ['timestamptz', (e) => e.recordedAt],
    },
    entries,
  );
}
