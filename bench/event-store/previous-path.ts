import { randomUUID } from 'node:crypto';
import { createPool } from '@ledger/postgres';
import {
  PostgresEventStore,
  WrongExpectedVersionError,
  type AppendResult,
  type ExpectedVersion,
  type NewEvent,
  type StreamFromSnapshot,
  type UpcasterRegistry,
} from '@ledger/event-store';
import type { Pool, PoolClient } from 'pg';

/*
 * The store's write path as it was before append_to_stream, kept here so each run measures before and
 * after side by side: an append is BEGIN, advisory lock, head read, insert, COMMIT (five round trips, the
 * NOTIFY trigger firing in the transaction), and an aggregate load reads the snapshot and the events in
 * two statements. Idempotency keys are left out: the benchmark appends without them.
 */
const STREAM_LOCK_SPACE = 0x65_76_73_74;

export class PreviousPathStore extends PostgresEventStore {
  private readonly writes: Pool;

  constructor(options: { connectionString: string; poolSize: number; upcasters: UpcasterRegistry }) {
    super({ ...options, appendNotifyIntervalMs: 0 });
    this.writes = createPool({ connectionString: options.connectionString, max: options.poolSize }, (error) =>
      process.emitWarning(error),
    );
  }

  override async appendToStream(
    streamId: string,
    streamType: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
  ): Promise<AppendResult> {
    const client = await this.writes.connect();
    try {
      await client.query('begin');
      const result = await appendInTransaction(client, streamId, streamType, expectedVersion, events);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
  }

  override async readStreamFromSnapshot(
    streamId: string,
    snapshotVersion: number | undefined,
  ): Promise<StreamFromSnapshot> {
    const snapshot =
      snapshotVersion === undefined ? undefined : await this.readSnapshot(streamId, snapshotVersion);
    const events = await this.readStream(streamId, { fromVersion: (snapshot?.streamVersion ?? 0) + 1 });
    return { snapshot, events };
  }

  override async close(): Promise<void> {
    await super.close();
    await this.writes.end();
  }
}

async function appendInTransaction(
  client: PoolClient,
  streamId: string,
  streamType: string,
  expectedVersion: ExpectedVersion,
  events: readonly NewEvent[],
): Promise<AppendResult> {
  await client.query('select pg_advisory_xact_lock($1, hashtext($2))', [STREAM_LOCK_SPACE, streamId]);
  const head = await client.query<{ stream_version: number; global_position: string }>(
    `select stream_version, stream_type, global_position::text from events
     where stream_id = $1 order by stream_version desc limit 1`,
    [streamId],
  );
  const current = head.rows[0]?.stream_version ?? 0;
  const wanted = expectedVersion === 'no_stream' ? 0 : expectedVersion;
  if (wanted !== 'any' && wanted !== current)
    throw new WrongExpectedVersionError(streamId, expectedVersion, current);
  const eventIds = events.map((event) => event.eventId ?? randomUUID());
  const batch = events.map((event, index) => ({
    eventId: eventIds[index],
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata ?? {},
  }));
  const { rows } = await client.query<{ global_position: string }>(
    `insert into events (stream_id, stream_type, stream_version, event_id, event_type, schema_version, data, metadata)
     select $1, $2, $3::int + e.ordinality::int, (e.item->>'eventId')::uuid, e.item->>'type',
            (e.item->>'schemaVersion')::int, e.item->'data', e.item->'metadata'
     from jsonb_array_elements($4::jsonb) with ordinality as e(item, ordinality)
     order by e.ordinality
     returning global_position::text`,
    [streamId, streamType, current, JSON.stringify(batch)],
  );
  return {
    nextExpectedVersion: current + events.length,
    lastGlobalPosition: Number(rows.at(-1)?.global_position ?? head.rows[0]?.global_position ?? 0),
    eventIds,
    replayed: false,
  };
}
