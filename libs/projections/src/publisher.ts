import type { Pool } from 'pg';
import type { Message, Producer } from 'kafkajs';
import { FailureHeaders } from './failure-headers';
import type { ParkedEventRow, ParkedKeyRow } from './store/parking';
import { deadLetterTopic, retryTopic } from './topics';

type HeadRow = ParkedEventRow & Omit<ParkedKeyRow, 'stream_id'>;

function topicOf(projection: string, head: HeadRow): string {
  return head.stage === 'dead-letter'
    ? deadLetterTopic(projection)
    : retryTopic(projection, head.retry_level);
}

function messageOf(head: HeadRow): Message {
  const failure: Record<string, string> = {
    [FailureHeaders.sourceTopic]: head.source_topic,
    [FailureHeaders.sourcePartition]: String(head.source_partition),
    [FailureHeaders.sourceOffset]: head.source_offset,
    [FailureHeaders.attempts]: String(head.attempts),
    [FailureHeaders.retryLevel]: String(head.retry_level),
    [FailureHeaders.parkToken]: head.token,
    [FailureHeaders.retryNotBefore]: head.not_before.toISOString(),
  };
  if (head.first_failed_at) failure[FailureHeaders.firstFailureAt] = head.first_failed_at.toISOString();
  if (head.error_class) failure[FailureHeaders.errorClass] = head.error_class;
  if (head.error_message !== null) failure[FailureHeaders.errorMessage] = head.error_message;
  return { key: head.record_key, value: head.record_value, headers: { ...head.record_headers, ...failure } };
}

export interface PublishFilter {
  /** Only these streams. */
  streamIds?: string[];
  /** Only heads left unpublished for at least this long (a publisher that died between commit and send). */
  olderThanMs?: number;
}

/**
 * Sends the heads of parked streams that are not yet published to their retry or dead-letter topic, then
 * marks them published. The parking row commits first and the send follows, so a crash in between leaves an
 * unpublished row that the next sweep sends; a duplicate send carries the same token and is ignored downstream.
 * Returns how many heads were sent.
 */
export async function publishParkedHeads(
  pool: Pool,
  producer: Producer,
  projection: string,
  filter: PublishFilter = {},
): Promise<number> {
  const { rows } = await pool.query<HeadRow>(
    `select e.*, k.head_seq, k.stage, k.retry_level, k.token, k.published, k.not_before, k.attempts,
            k.first_failed_at, k.error_class, k.error_message, k.parked_at
       from projection_parked_keys k join projection_parked_events e on e.seq = k.head_seq
      where k.projection = $1 and not k.published
        and ($2::text[] is null or k.stream_id = any($2::text[]))
        and ($3::integer is null or k.updated_at < now() - make_interval(secs => $3::integer / 1000.0))
      order by k.updated_at, k.stream_id`,
    [projection, filter.streamIds ?? null, filter.olderThanMs ?? null],
  );
  if (rows.length === 0) return 0;
  const byTopic = new Map<string, Message[]>();
  for (const head of rows) {
    const topic = topicOf(projection, head);
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), messageOf(head)]);
  }
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
  });
  await pool.query(
    `update projection_parked_keys k set published = true
       from unnest($2::text[], $3::bigint[]) as u(stream_id, token)
      where k.projection = $1 and k.stream_id = u.stream_id and k.token = u.token`,
    [projection, rows.map((row) => row.stream_id), rows.map((row) => row.token)],
  );
  return rows.length;
}
