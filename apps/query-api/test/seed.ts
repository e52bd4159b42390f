import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';

export interface AccountSeed {
  accountId?: string;
  ownerId?: string;
  currency?: string;
  balance?: number;
  status?: 'open' | 'frozen' | 'closed';
  freezeReason?: string | null;
  version?: number;
  openedAt?: string;
}

export interface EntrySeed {
  version: number;
  amount: number;
  balanceAfter: number;
  occurredAt: string;
  /** Record time; none, as in rows written before the read model kept it, when absent. */
  recordedAt?: string;
  kind?: string;
  reference?: string | null;
  transferId?: string | null;
  counterpartyAccountId?: string | null;
}

export interface TransferSeed {
  transferId?: string;
  fromAccountId: string;
  toAccountId: string;
  amount?: number;
  status?: string;
  requestedAt: string;
}

/** Writes read-model and runtime rows as the projectors would, for given/then tests. */
export class Seeder {
  private position = 0;

  constructor(private readonly sql: Pool) {}

  async account(seed: AccountSeed = {}): Promise<string> {
    const accountId = seed.accountId ?? randomUUID();
    const openedAt = seed.openedAt ?? '2025-01-01T00:00:00Z';
    await this.sql.query(
      `insert into account_summaries (account_id, owner_id, currency, balance, overdraft_limit, daily_withdrawal_limit,
         status, freeze_reason, version, last_global_position, opened_at, updated_at)
       values ($1, $2, $3, $4, 500, 100000, $5, $6, $7, $8, $9, $9)`,
      [
        accountId,
        seed.ownerId ?? 'owner',
        seed.currency ?? 'EUR',
        seed.balance ?? 0,
        seed.status ?? 'open',
        seed.freezeReason ?? null,
        seed.version ?? 1,
        ++this.position,
        openedAt,
      ],
    );
    return accountId;
  }

  async entries(accountId: string, entries: EntrySeed[]): Promise<void> {
    for (const entry of entries) {
      await this.sql.query(
        `insert into account_statement_entries (account_id, stream_version, event_id, kind, amount, balance_after,
           currency, reference, transfer_id, counterparty_account_id, occurred_at, global_position, recorded_at)
         values ($1, $2, $3, $4, $5, $6, 'EUR', $7, $8, $9, $10, $11, $12)`,
        [
          accountId,
          entry.version,
          randomUUID(),
          entry.kind ?? (entry.amount > 0 ? 'deposit' : 'withdrawal'),
          entry.amount,
          entry.balanceAfter,
          entry.reference ?? null,
          entry.transferId ?? null,
          entry.counterpartyAccountId ?? null,
          entry.occurredAt,
          ++this.position,
          entry.recordedAt ?? null,
        ],
      );
    }
  }

  async transfer(seed: TransferSeed): Promise<string> {
    const transferId = seed.transferId ?? randomUUID();
    await this.sql.query(
      `insert into transfers (transfer_id, from_account_id, to_account_id, amount, currency, status, failure_stage,
         failure_reason, version, last_global_position, requested_at, updated_at)
       values ($1, $2, $3, $4, 'EUR', $5, null, null, 1, $6, $7, $7)`,
      [
        transferId,
        seed.fromAccountId,
        seed.toAccountId,
        seed.amount ?? 100,
        seed.status ?? 'requested',
        ++this.position,
        seed.requestedAt,
      ],
    );
    return transferId;
  }

  async history(
    transferId: string,
    steps: Array<{
      eventType: string;
      status: string;
      occurredAt: string;
      recordedAt?: string;
      detail?: object;
    }>,
  ) {
    for (const [index, step] of steps.entries()) {
      await this.sql.query(
        `insert into transfer_history (transfer_id, stream_version, event_id, event_type, status, detail, occurred_at,
           global_position, recorded_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          transferId,
          index + 1,
          randomUUID(),
          step.eventType,
          step.status,
          JSON.stringify(step.detail ?? {}),
          step.occurredAt,
          ++this.position,
          step.recordedAt ?? null,
        ],
      );
    }
  }

  /** Audit-history rows of an account, versions 1.., as the accounts projector writes them. */
  async accountHistory(
    accountId: string,
    events: Array<{
      eventType: string;
      actor?: [string, string];
      onBehalfOf?: [string, string];
      recordedAt: string;
      detail?: object;
    }>,
  ): Promise<void> {
    for (const [index, event] of events.entries()) {
      await this.sql.query(
        `insert into account_history (account_id, stream_version, event_id, event_type, detail, recorded_at, global_position,
           actor, actor_role, origin_actor, origin_actor_role, correlation_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          accountId,
          index + 1,
          randomUUID(),
          event.eventType,
          JSON.stringify(event.detail ?? {}),
          event.recordedAt,
          ++this.position,
          event.actor?.[0] ?? null,
          event.actor?.[1] ?? null,
          event.onBehalfOf?.[0] ?? null,
          event.onBehalfOf?.[1] ?? null,
          `corr-${index + 1}`,
        ],
      );
    }
  }

  /** The projection runtime's record of a partition: last processed offset and highest applied position. */
  async progress(
    projection: string,
    topic: string,
    partition: number,
    offset: number,
    globalPosition: number | null,
  ) {
    await this.sql.query(
      `insert into projection_positions (projection, topic, partition, "offset", global_position, last_recorded_at)
       values ($1, $2, $3, $4, $5, now())
       on conflict (projection, topic, partition) do update
         set "offset" = excluded."offset", global_position = excluded.global_position, updated_at = now()`,
      [projection, topic, partition, offset, globalPosition],
    );
  }
}
