import type { Pool, PoolClient } from 'pg';
import { EventHeaders } from '../event';

export type DeadLetterStatus = 'dead' | 'redriven' | 'discarded';

/** A dead-lettered event as mirrored in Postgres (the `<name>.dlq` topic holds the same record). */
export interface DeadLetter {
  id: string;
  projection: string;
  streamId: string;
  streamVersion: number | null;
  eventId: string | null;
  eventType: string | null;
  source: { topic: string; partition: number; offset: string };
  attempts: number;
  firstFailedAt: Date;
  deadLetteredAt: Date;
  errorClass: string;
  errorMessage: string;
  status: DeadLetterStatus;
  resolvedAt: Date | null;
  /** Events of the same stream waiting behind this one (while it is dead). */
  parkedBehind: number;
  record: { key: string | null; value: Buffer | null; headers: Record<string, string>; timestamp: string };
}

/** Copies the heads of the given streams, which must just have entered the dead-letter stage, into the mirror. */
export async function mirrorDeadLetters(
  tx: PoolClient,
  projection: string,
  streamIds: string[],
): Promise<void> {
  if (streamIds.length === 0) return;
  await tx.query(
    `insert into projection_dead_letters (projection, stream_id, stream_version, event_id, event_type, source_topic,
       source_partition, source_offset, attempts, first_failed_at, error_class, error_message, record_key,
       record_value, record_headers, record_timestamp)
     select k.projection, k.stream_id, e.stream_version, e.record_headers->>'${EventHeaders.eventId}',
            e.record_headers->>'${EventHeaders.eventType}', e.source_topic, e.source_partition, e.source_offset,
            k.attempts, coalesce(k.first_failed_at, now()), coalesce(k.error_class, 'unknown'),
            coalesce(k.error_message, ''), e.record_key, e.record_value, e.record_headers, e.record_timestamp
       from projection_parked_keys k join projection_parked_events e on e.seq = k.head_seq
      where k.projection = $1 and k.stream_id = any($2::text[]) and k.stage = 'dead-letter'`,
    [projection, streamIds],
  );
}

export async function resolveDeadLetters(
  tx: PoolClient,
  projection: string,
  streamIds: string[],
  status: Exclude<DeadLetterStatus, 'dead'>,
): Promise<void> {
  await tx.query(
    `update projection_dead_letters set status = $3, resolved_at = now()
      where projection = $1 and stream_id = any($2::text[]) and status = 'dead'`,
    [projection, streamIds, status],
  );
}

export interface DeadLetterQuery {
  /** Only this stream's dead letters. */
  streamId?: string;
  /** Default `dead` (still waiting for an operator); `all` includes redriven and discarded ones. */
  status?: DeadLetterStatus | 'all';
  /** Page after this id (ids ascend in dead-letter order). */
  afterId?: string;
  /** Default 100. */
  limit?: number;
}

interface DeadLetterRow {
  id: string;
  projection: string;
  stream_id: string;
  stream_version: string | null;
  event_id: string | null;
  event_type: string | null;
  source_topic: string;
  source_partition: number;
  source_offset: string;
  attempts: number;
  first_failed_at: Date;
  dead_lettered_at: Date;
  error_class: string;
  error_message: string;
  status: DeadLetterStatus;
  resolved_at: Date | null;
  parked_behind: string;
  record_key: string | null;
  record_value: Buffer | null;
  record_headers: Record<string, string>;
  record_timestamp: string;
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    projection: row.projection,
    streamId: row.stream_id,
    streamVersion: row.stream_version === null ? null : Number(row.stream_version),
    eventId: row.event_id,
    eventType: row.event_type,
    source: { topic: row.source_topic, partition: row.source_partition, offset: row.source_offset },
    attempts: row.attempts,
    firstFailedAt: row.first_failed_at,
    deadLetteredAt: row.dead_lettered_at,
    errorClass: row.error_class,
    errorMessage: row.error_message,
    status: row.status,
    resolvedAt: row.resolved_at,
    parkedBehind: Number(row.parked_behind),
    record: {
      key: row.record_key,
      value: row.record_value,
      headers: row.record_headers,
      timestamp: row.record_timestamp,
    },
  };
}

const selectDeadLetters = `
  select d.*, case when d.status = 'dead' then (
           select count(*) from projection_parked_events e
            where e.projection = d.projection and e.stream_id = d.stream_id
              and (e.source_topic, e.source_partition, e.source_offset)
                  <> (d.source_topic, d.source_partition, d.source_offset)) else 0 end as parked_behind
    from projection_dead_letters d`;

/** Dead letters of a projection in the order they died, from the Postgres mirror. */
export async function listDeadLetters(
  pool: Pool,
  projection: string,
  query: DeadLetterQuery = {},
): Promise<DeadLetter[]> {
  const status = query.status ?? 'dead';
  const { rows } = await pool.query<DeadLetterRow>(
    `${selectDeadLetters}
      where d.projection = $1 and ($2::text is null or d.stream_id = $2) and ($3::text = 'all' or d.status = $3)
        and ($4::bigint is null or d.id > $4)
      order by d.id limit $5`,
    [projection, query.streamId ?? null, status, query.afterId ?? null, query.limit ?? 100],
  );
  return rows.map(toDeadLetter);
}

/** One dead letter by id, or undefined. */
export async function getDeadLetter(
  pool: Pool,
  projection: string,
  id: string,
): Promise<DeadLetter | undefined> {
  const { rows } = await pool.query<DeadLetterRow>(
    `${selectDeadLetters} where d.projection = $1 and d.id = $2`,
    [projection, id],
  );
  return rows[0] && toDeadLetter(rows[0]);
}
