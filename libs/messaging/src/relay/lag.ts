import type { LogPosition } from '@ledger/event-store';
import { createPool } from '@ledger/postgres';
import type { Pool } from 'pg';

export interface LagSample {
  /** Appended events not yet acknowledged by Kafka (approximate: positions are not dense in log order). */
  readonly events: number;
  /** Age of the first event after the relay's position; 0 when there is none. */
  readonly seconds: number;
}

/** Measures how far the relay trails the store. */
export interface LagProbe {
  sample(position: LogPosition): Promise<LagSample>;
  close(): Promise<void>;
}

// Reads the event store's table directly: both lookups are index scans (primary key, log order index).
const LAG_QUERY = `
  select coalesce((select max(global_position) from events), 0)::text as head,
    (select extract(epoch from statement_timestamp() - recorded_at)
       from events
      where (transaction_id, global_position) > ($1::xid8, $2::bigint)
      order by transaction_id, global_position
      limit 1)::float8 as age_seconds`;

/** Lag of the relay against a Postgres event store, on one connection of its own. */
export class PostgresLagProbe implements LagProbe {
  private readonly pool: Pool;

  constructor(connectionString: string) {
    // A failed connection is replaced on the next sample; the sample itself reports the failure.
    this.pool = createPool(
      { connectionString, max: 1, application_name: 'ledger-relay-lag' },
      () => undefined,
    );
  }

  async sample(position: LogPosition): Promise<LagSample> {
    const { rows } = await this.pool.query<{ head: string; age_seconds: number | null }>(LAG_QUERY, [
      position.transactionId,
      position.globalPosition,
    ]);
    const age = rows[0]?.age_seconds ?? null;
    // Nothing after the position: caught up, even when the position's own number is below the maximum.
    if (age === null) return { events: 0, seconds: 0 };
    return {
      events: Math.max(1, Number(rows[0]?.head ?? 0) - position.globalPosition),
      seconds: Math.max(0, age),
    };
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
