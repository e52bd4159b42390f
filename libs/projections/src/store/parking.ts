import type { PoolClient } from 'pg';
import type { ErrorDescription } from '../errors';
import type { Stage } from '../policy';
import type { ProjectionRecord } from '../record';

export interface ParkedEventRow {
  seq: string;
  stream_id: string;
  stream_version: string | null;
  source_topic: string;
  source_partition: number;
  source_offset: string;
  record_key: string | null;
  record_value: Buffer | null;
  record_headers: Record<string, string>;
  record_timestamp: string;
}

export interface ParkedKeyRow {
  stream_id: string;
  head_seq: string;
  stage: 'retry' | 'dead-letter';
  retry_level: number;
  token: string;
  published: boolean;
  not_before: Date;
  attempts: number;
  first_failed_at: Date | null;
  error_class: string | null;
  error_message: string | null;
  parked_at: Date;
}

export function recordOf(row: ParkedEventRow): ProjectionRecord {
  return {
    topic: row.source_topic,
    partition: row.source_partition,
    offset: row.source_offset,
    key: row.record_key,
    value: row.record_value,
    headers: row.record_headers,
    timestamp: row.record_timestamp,
  };
}

const coordinates = (topic: string, partition: number, offset: string) => `${topic}/${partition}/${offset}`;

/**
 * Adds records to their streams' parking queues in the given order; a record parked before (a redelivery)
 * keeps its place. Returns the queue position (seq) of every record, keyed by topic/partition/offset.
 */
export async function parkRecords(
  tx: PoolClient,
  projection: string,
  entries: { streamId: string; version: number | undefined; record: ProjectionRecord }[],
): Promise<Map<string, string>> {
  if (entries.length === 0) return new Map();
  const { rows } = await tx.query<{
    seq: string;
    source_topic: string;
    source_partition: number;
    source_offset: string;
  }>(
    `insert into projection_parked_events (projection, stream_id, stream_version, source_topic, source_partition,
       source_offset, record_key, record_value, record_headers, record_timestamp)
     select $1, e.stream_id, e.stream_version, e.topic, e.partition, e."offset", e.key, e.value, e.headers, e.ts
       from unnest($2::text[], $3::bigint[], $4::text[], $5::int[], $6::bigint[], $7::text[], $8::bytea[], $9::jsonb[], $10::text[])
            with ordinality as e(stream_id, stream_version, topic, partition, "offset", key, value, headers, ts, n)
      order by e.n
     on conflict (projection, source_topic, source_partition, source_offset) do update set stream_id = excluded.stream_id
     returning seq, source_topic, source_partition, source_offset`,
    [
      projection,
      entries.map((e) => e.streamId),
      entries.map((e) => e.version ?? null),
      entries.map((e) => e.record.topic),
      entries.map((e) => e.record.partition),
      entries.map((e) => e.record.offset),
      entries.map((e) => e.record.key),
      entries.map((e) => e.record.value),
      entries.map((e) => JSON.stringify(e.record.headers)),
      entries.map((e) => e.record.timestamp),
    ],
  );
  return new Map(
    rows.map((row) => [coordinates(row.source_topic, row.source_partition, row.source_offset), row.seq]),
  );
}

export const recordCoordinates = (record: ProjectionRecord) =>
  coordinates(record.topic, record.partition, record.offset);

export interface HeadUpdate {
  streamId: string;
  headSeq: string;
  stage: Stage;
  attempts: number;
  error: ErrorDescription | undefined;
  /** Keep the first-failure time of the stream's previous head (the same event failing again). */
  sameHead: boolean;
}

/** Creates or moves a stream's parking row to a new head and stage, with a fresh token; unpublished. */
export async function setHead(tx: PoolClient, projection: string, head: HeadUpdate): Promise<void> {
  await tx.query(
    `insert into projection_parked_keys (projection, stream_id, head_seq, stage, retry_level, token, published,
       not_before, attempts, first_failed_at, error_class, error_message)
     values ($1, $2, $3, $4, $5, nextval('projection_park_tokens'), false, $6, $7,
       case when $10::boolean then now() end, $8, $9)
     on conflict (projection, stream_id) do update set
       head_seq = excluded.head_seq, stage = excluded.stage, retry_level = excluded.retry_level,
       token = excluded.token, published = false, not_before = excluded.not_before,
       attempts = case when $11 then projection_parked_keys.attempts + excluded.attempts else excluded.attempts end,
       first_failed_at = case when $11 then coalesce(projection_parked_keys.first_failed_at, excluded.first_failed_at)
                              else excluded.first_failed_at end,
       error_class = excluded.error_class, error_message = excluded.error_message, updated_at = now()`,
    [
      projection,
      head.streamId,
      head.headSeq,
      head.stage.stage,
      head.stage.level,
      head.stage.notBefore,
      head.attempts,
      head.error?.errorClass ?? null,
      head.error?.message ?? null,
      head.error !== undefined,
      head.sameHead,
    ],
  );
}

/** The stream's parking row if `token` is still its current one, locked; otherwise the record is stale. */
export async function lockParkedKey(
  tx: PoolClient,
  projection: string,
  streamId: string,
  token: string,
): Promise<ParkedKeyRow | undefined> {
  const { rows } = await tx.query<ParkedKeyRow>(
    `select * from projection_parked_keys where projection = $1 and stream_id = $2 and token = $3 for update`,
    [projection, streamId, token],
  );
  return rows[0];
}

/**
 * A stream's parked records in Kafka order. Ordering by offset rather than by arrival matters after a
 * rebuild: events older than the head, replayed while the stream is parked, join the queue late but go first.
 */
export async function parkedQueue(
  tx: PoolClient,
  projection: string,
  streamId: string,
): Promise<ParkedEventRow[]> {
  const { rows } = await tx.query<ParkedEventRow>(
    `select * from projection_parked_events where projection = $1 and stream_id = $2 order by source_offset, seq`,
    [projection, streamId],
  );
  return rows;
}

/** Removes records from a stream's queue; with `unpark`, also the stream's parking row (the queue is empty). */
export async function dropParked(
  tx: PoolClient,
  projection: string,
  streamId: string,
  seqs: string[],
  { unpark }: { unpark: boolean },
): Promise<void> {
  if (unpark) {
    await tx.query('delete from projection_parked_keys where projection = $1 and stream_id = $2', [
      projection,
      streamId,
    ]);
  }
  if (seqs.length > 0) {
    await tx.query('delete from projection_parked_events where seq = any($1::bigint[])', [seqs]);
  }
}
