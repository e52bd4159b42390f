import type { Pool } from 'pg';
import { EventHeaders } from './event';
import type { ParkedKeyRow } from './store/parking';

export interface ParkedStream {
  streamId: string;
  stage: 'retry' | 'dead-letter';
  retryLevel: number;
  attempts: number;
  /** Records waiting, the head included. */
  events: number;
  head: { topic: string; partition: number; offset: string; eventId: string | null };
  errorClass: string | null;
  errorMessage: string | null;
  firstFailedAt: Date | null;
  parkedAt: Date;
  notBefore: Date;
}

/** Streams of a projection that wait behind a failed event, oldest first. */
export async function listParkedStreams(pool: Pool, projection: string): Promise<ParkedStream[]> {
  const { rows } = await pool.query<
    ParkedKeyRow & {
      source_topic: string;
      source_partition: number;
      source_offset: string;
      event_id: string | null;
      events: string;
    }
  >(
    `select k.*, e.source_topic, e.source_partition, e.source_offset, e.record_headers->>'${EventHeaders.eventId}' as event_id,
            (select count(*) from projection_parked_events q where q.projection = k.projection and q.stream_id = k.stream_id) as events
       from projection_parked_keys k join projection_parked_events e on e.seq = k.head_seq
      where k.projection = $1 order by k.parked_at, k.stream_id`,
    [projection],
  );
  return rows.map((row) => ({
    streamId: row.stream_id,
    stage: row.stage,
    retryLevel: row.retry_level,
    attempts: row.attempts,
    events: Number(row.events),
    head: {
      topic: row.source_topic,
      partition: row.source_partition,
      offset: row.source_offset,
      eventId: row.event_id,
    },
    errorClass: row.error_class,
    errorMessage: row.error_message,
    firstFailedAt: row.first_failed_at,
    parkedAt: row.parked_at,
    notBefore: row.not_before,
  }));
}

/** Parked streams of a projection by stage: the `projection_parked_streams` gauge reads it at scrape time. */
export async function countParkedStreams(
  pool: Pool,
  projection: string,
): Promise<{ retry: number; deadLetter: number }> {
  const { rows } = await pool.query<{ retry: string; dead: string }>(
    `select count(*) filter (where stage = 'retry') as retry, count(*) filter (where stage = 'dead-letter') as dead
       from projection_parked_keys where projection = $1`,
    [projection],
  );
  return { retry: Number(rows[0]?.retry ?? 0), deadLetter: Number(rows[0]?.dead ?? 0) };
}
