import type { Pool, PoolClient } from 'pg';

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** A moment in a transfer's life on both time axes. */
export interface TransferMoment {
  /** Business time: when the step took effect. */
  effectiveAt: string;
  /** Record time: when the ledger recorded it. */
  recordedAt: string | null;
}

/** When a transfer was requested, moved money and ended; null for what has not happened (or is not known yet). */
export interface TransferTimes {
  requested: TransferMoment | null;
  debited: TransferMoment | null;
  credited: TransferMoment | null;
  refunded: TransferMoment | null;
  completed: TransferMoment | null;
  failed: TransferMoment | null;
}

type Step = keyof TransferTimes;

const EMPTY: TransferTimes = {
  requested: null,
  debited: null,
  credited: null,
  refunded: null,
  completed: null,
  failed: null,
};

/**
 * The times of these transfers. Money moves on the accounts, so debit, credit and refund come from the
 * account statement (the booking itself); request, completion and failure from the transfer's own history.
 * Each side shows what its projector has applied, so a step can appear on one before the other.
 */
export async function queryTransferTimes(
  db: Queryable,
  transferIds: readonly string[],
): Promise<Map<string, TransferTimes>> {
  const times = new Map(transferIds.map((id) => [id, { ...EMPTY }]));
  if (transferIds.length === 0) return times;
  const { rows } = await db.query<{
    transfer_id: string;
    step: Step;
    effective_at: Date;
    recorded_at: Date | null;
  }>(
    `select transfer_id, case event_type
              when 'ledger.transfers.TransferRequested' then 'requested'
              when 'ledger.transfers.TransferCompleted' then 'completed'
              else 'failed' end as step,
            occurred_at as effective_at, recorded_at
       from transfer_history
      where transfer_id = any($1::uuid[])
        and event_type in ('ledger.transfers.TransferRequested', 'ledger.transfers.TransferCompleted',
                           'ledger.transfers.TransferFailed')
     union all
     select transfer_id, case kind
              when 'transfer_debit' then 'debited'
              when 'transfer_credit' then 'credited'
              else 'refunded' end,
            occurred_at, recorded_at
       from account_statement_entries
      where transfer_id = any($1::uuid[])`,
    [transferIds],
  );
  for (const row of rows) {
    times.get(row.transfer_id)![row.step] = {
      effectiveAt: row.effective_at.toISOString(),
      recordedAt: row.recorded_at?.toISOString() ?? null,
    };
  }
  return times;
}
