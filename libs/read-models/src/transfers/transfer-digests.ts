import type { Pool, PoolClient } from 'pg';
import type { TransferStatus } from './transfer-rows';

/** What the transfers read model has applied of one transfer. */
export interface TransferReadDigest {
  transferId: string;
  /** Null when the transfer has no row. */
  version: number | null;
  status: TransferStatus | null;
  historyEntries: number;
}

/** The transfers read model's digest of each of these transfers, one per id (absent rows as nulls). */
export async function transferReadDigests(
  db: Pick<Pool | PoolClient, 'query'>,
  transferIds: readonly string[],
): Promise<Map<string, TransferReadDigest>> {
  if (transferIds.length === 0) return new Map();
  const { rows } = await db.query<{
    transfer_id: string;
    version: number | null;
    status: TransferStatus | null;
    history_entries: number;
  }>(
    `select ids.transfer_id, t.version, t.status,
            (select count(*)::integer from transfer_history h where h.transfer_id = ids.transfer_id) as history_entries
       from unnest($1::uuid[]) as ids (transfer_id)
       left join transfers t on t.transfer_id = ids.transfer_id`,
    [transferIds],
  );
  return new Map(
    rows.map((row) => [
      row.transfer_id,
      {
        transferId: row.transfer_id,
        version: row.version,
        status: row.status,
        historyEntries: row.history_entries,
      },
    ]),
  );
}
