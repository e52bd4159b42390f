import type { PoolClient } from 'pg';
import type { SqlWrite } from '@ledger/projections';
import { minorUnits } from '../minor-units';
import { recordsetWrite } from '../recordset';
import type { TransferTables } from '../tables';
import type { TransferHistoryEntry, TransferRow } from './transfer-rows';

interface StoredTransfer {
  transfer_id: string;
  from_account_id: string;
  to_account_id: string;
  amount: string;
  currency: string;
  status: TransferRow['status'];
  failure_stage: TransferRow['failureStage'];
  failure_reason: string | null;
  version: number;
  last_global_position: string;
  requested_at: Date;
  updated_at: Date;
}

/** The stored rows of these transfers, locked until the transaction ends. */
export async function lockTransfers(
  tx: PoolClient,
  transferIds: readonly string[],
  tables: TransferTables,
): Promise<Map<string, TransferRow>> {
  const { rows } = await tx.query<StoredTransfer>(
    `select * from ${tables.transfers} where transfer_id = any($1::uuid[]) order by transfer_id for update`,
    [transferIds],
  );
  return new Map(
    rows.map((row) => [
      row.transfer_id,
      {
        transferId: row.transfer_id,
        fromAccountId: row.from_account_id,
        toAccountId: row.to_account_id,
        amount: minorUnits(row.amount, 'stored transfer amount'),
        currency: row.currency,
        status: row.status,
        failureStage: row.failure_stage,
        failureReason: row.failure_reason,
        version: row.version,
        lastGlobalPosition: Number(row.last_global_position),
        requestedAt: row.requested_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
      },
    ]),
  );
}

/** Upserts transfers (new ones inserted, the changing columns of existing ones overwritten), as one write. */
export function saveTransfers(
  transfers: readonly TransferRow[],
  tables: TransferTables,
): SqlWrite | undefined {
  if (transfers.length === 0) return undefined;
  return recordsetWrite(
    `insert into ${tables.transfers}`,
    {
      transfer_id: ['uuid', (t) => t.transferId],
      from_account_id: ['uuid', (t) => t.fromAccountId],
      to_account_id: ['uuid', (t) => t.toAccountId],
      amount: ['bigint', (t) => t.amount],
      currency: ['text', (t) => t.currency],
      status: ['text', (t) => t.status],
      failure_stage: ['text', (t) => t.failureStage],
      failure_reason: ['text', (t) => t.failureReason],
      version: ['integer', (t) => t.version],
      last_global_position: ['bigint', (t) => t.lastGlobalPosition],
      requested_at: ['timestamptz', (t) => t.requestedAt],
      updated_at: ['timestamptz', (t) => t.updatedAt],
    },
    transfers,
    `on conflict (transfer_id) do update set
       status = excluded.status,
       failure_stage = excluded.failure_stage,
       failure_reason = excluded.failure_reason,
       version = excluded.version,
       last_global_position = excluded.last_global_position,
       updated_at = excluded.updated_at`,
  );
}

/** Inserts history entries, as one write; an existing entry fails the batch (see insertStatementEntries). */
export function insertTransferHistory(
  history: readonly TransferHistoryEntry[],
  tables: TransferTables,
): SqlWrite | undefined {
  if (history.length === 0) return undefined;
  return recordsetWrite(
    `insert into ${tables.history}`,
    {
      transfer_id: ['uuid', (h) => h.transferId],
      stream_version: ['integer', (h) => h.streamVersion],
      event_id: ['uuid', (h) => h.eventId],
      event_type: ['text', (h) => h.eventType],
      status: ['text', (h) => h.status],
      detail: ['jsonb', (h) => h.detail],
      occurred_at: ['timestamptz', (h) => h.occurredAt],
      global_position: ['bigint', (h) => h.globalPosition],
      recorded_at: ['timestamptz', (h) => h.recordedAt],
    },
    history,
  );
}
