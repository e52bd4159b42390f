import type { PoolClient } from 'pg';
import type { SqlWrite } from '@ledger/projections';
import { minorUnits } from '../minor-units';
import { guardLockCondition } from '../projection-options';
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
  guardLockKey?: string,
): Promise<Map<string, TransferRow>> {
  const guarded = guardLockKey === undefined ? '' : ` and ${guardLockCondition(2)}`;
  const { rows } = await tx.query<StoredTransfer>(
    `select * from ${tables.transfers} where transfer_id = any($1::uuid[])${guarded} order by transfer_id for update`,
    guardLockKey === undefined ? [transferIds] : [transferIds, guardLockKey],
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
  return {
    text: `insert into ${tables.transfers} (transfer_id, from_account_id, to_account_id, amount, currency, status, failure_stage,
                            failure_reason, version, last_global_position, requested_at, updated_at)
     select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::text[], $6::text[], $7::text[],
                          $8::text[], $9::integer[], $10::bigint[], $11::timestamptz[], $12::timestamptz[])
     on conflict (transfer_id) do update set
       status = excluded.status,
       failure_stage = excluded.failure_stage,
       failure_reason = excluded.failure_reason,
       version = excluded.version,
       last_global_position = excluded.last_global_position,
       updated_at = excluded.updated_at`,
    values: [
      transfers.map((t) => t.transferId),
      transfers.map((t) => t.fromAccountId),
      transfers.map((t) => t.toAccountId),
      transfers.map((t) => t.amount),
      transfers.map((t) => t.currency),
      transfers.map((t) => t.status),
      transfers.map((t) => t.failureStage),
      transfers.map((t) => t.failureReason),
      transfers.map((t) => t.version),
      transfers.map((t) => t.lastGlobalPosition),
      transfers.map((t) => t.requestedAt),
      transfers.map((t) => t.updatedAt),
    ],
  };
}

/** Inserts history entries, as one write; an existing entry fails the batch (see insertStatementEntries). */
export function insertTransferHistory(
  history: readonly TransferHistoryEntry[],
  tables: TransferTables,
): SqlWrite | undefined {
  if (history.length === 0) return undefined;
  return {
    text: `insert into ${tables.history} (transfer_id, stream_version, event_id, event_type, status, detail, occurred_at,
                                   global_position, recorded_at)
     select * from unnest($1::uuid[], $2::integer[], $3::uuid[], $4::text[], $5::text[], $6::jsonb[],
                          $7::timestamptz[], $8::bigint[], $9::timestamptz[])`,
    values: [
      history.map((h) => h.transferId),
      history.map((h) => h.streamVersion),
      history.map((h) => h.eventId),
      history.map((h) => h.eventType),
      history.map((h) => h.status),
      history.map((h) => JSON.stringify(h.detail)),
      history.map((h) => h.occurredAt),
      history.map((h) => h.globalPosition),
      history.map((h) => h.recordedAt),
    ],
  };
}
