import type { Pool } from 'pg';
import type { EventStore } from '../event-store';
import type { RecordedEvent } from '../types';
import type { PurgeProgress } from './maintenance';

/** Events of one type stored in a schema version older than the one written today. */
export interface StaleSchemaVersion {
  readonly type: string;
  readonly schemaVersion: number;
  readonly currentVersion: number;
  readonly count: number;
}

/** The stored (type, schema version) pairs below `currentVersionOf(type)`; unknown types are left alone. */
export async function staleSchemaVersions(
  pool: Pool,
  currentVersionOf: (type: string) => number | undefined,
): Promise<StaleSchemaVersion[]> {
  const { rows } = await pool.query<{ event_type: string; schema_version: number; count: string }>(
    'select event_type, schema_version, count(*) from events group by 1, 2 order by 1, 2',
  );
  return rows.flatMap((row) => {
    const currentVersion = currentVersionOf(row.event_type);
    return currentVersion !== undefined && row.schema_version < currentVersion
      ? [
          {
            type: row.event_type,
            schemaVersion: row.schema_version,
            currentVersion,
            count: Number(row.count),
          },
        ]
      : [];
  });
}

/**
 * Rewrites stored events of old schema versions into the version `store` reads them as (its upcasters), in
 * batches of one transaction each. Events keep their ids, positions and times. Events are immutable (a
 * trigger refuses UPDATE); this is the one sanctioned rewrite, declared per transaction with
 * `ledger.event_rewrite`, and only the owner role holds UPDATE on events. Returns the events rewritten.
 */
export async function upgradeEventSchemas(
  pool: Pool,
  store: Pick<EventStore, 'readStream'>,
  stale: readonly StaleSchemaVersion[],
  options: { batchSize?: number; onProgress?: PurgeProgress } = {},
): Promise<number> {
  const total = stale.reduce((sum, entry) => sum + entry.count, 0);
  let rewritten = 0;
  for (const entry of stale) {
    for (;;) {
      const { rows: batch } = await pool.query<{
        global_position: string;
        stream_id: string;
        stream_version: number;
      }>(
        `select global_position::text, stream_id, stream_version from events
          where event_type = $1 and schema_version = $2 order by global_position limit $3`,
        [entry.type, entry.schemaVersion, options.batchSize ?? 500],
      );
      if (batch.length === 0) break;
      const upcasts: Array<{ position: string; upcast: RecordedEvent }> = [];
      for (const event of batch) {
        const [upcast] = await store.readStream(event.stream_id, {
          fromVersion: event.stream_version,
          toVersion: event.stream_version,
        });
        if (!upcast) throw new Error(`${event.stream_id} v${event.stream_version} vanished while upgrading`);
        upcasts.push({ position: event.global_position, upcast });
      }
      await rewrite(pool, upcasts, entry.schemaVersion);
      rewritten += batch.length;
      options.onProgress?.(rewritten, total);
    }
  }
  return rewritten;
}

async function rewrite(
  pool: Pool,
  events: Array<{ position: string; upcast: RecordedEvent }>,
  fromVersion: number,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query("set local ledger.event_rewrite = 'on'");
    for (const { position, upcast } of events) {
      await client.query(
        'update events set data = $2, schema_version = $3 where global_position = $1 and schema_version = $4',
        [position, JSON.stringify(upcast.data), upcast.schemaVersion, fromVersion],
      );
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
