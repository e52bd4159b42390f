import type { Producer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { publishParkedHeads } from './publisher';
import { resolveDeadLetters } from './store/dead-letters';
import { dropParked, setHead } from './store/parking';
import { inTransaction } from './store/transaction';

/** Which dead-lettered streams an operation acts on. */
export type DeadLetterSelector = { key: string } | { all: true };

export interface OperatorDependencies {
  pool: Pool;
  /** A connected producer; the records go to `<projection>.retry.1`, so the projector must run with retries. */
  producer: Producer;
}

async function lockDeadLettered(tx: PoolClient, projection: string, selector: DeadLetterSelector) {
  const { rows } = await tx.query<{ stream_id: string; head_seq: string }>(
    `select stream_id, head_seq from projection_parked_keys
      where projection = $1 and stage = 'dead-letter' and ($2::text is null or stream_id = $2)
      order by stream_id for update`,
    [projection, 'key' in selector ? selector.key : null],
  );
  return rows;
}

const now = () => ({ stage: 'retry' as const, level: 1, notBefore: new Date() });

/**
 * Sends the dead-lettered head of each selected stream back to the first retry topic, due now. The retry
 * consumer applies the head and then everything parked behind it, in order, and releases the stream once
 * its queue is empty; if the head still fails it climbs the retry ladder again. Returns the streams.
 */
export async function redrive(
  { pool, producer }: OperatorDependencies,
  projection: string,
  selector: DeadLetterSelector,
): Promise<{ streams: string[] }> {
  const streams = await inTransaction(pool, async (tx) => {
    const rows = await lockDeadLettered(tx, projection, selector);
    const streamIds = rows.map((row) => row.stream_id);
    await tx.query(
      `update projection_parked_keys set stage = 'retry', retry_level = 1, token = nextval('projection_park_tokens'),
              published = false, not_before = now(), updated_at = now()
        where projection = $1 and stream_id = any($2::text[])`,
      [projection, streamIds],
    );
    await resolveDeadLetters(tx, projection, streamIds, 'redriven');
    return streamIds;
  });
  if (streams.length > 0) await publishParkedHeads(pool, producer, projection, { streamIds: streams });
  return { streams };
}

/**
 * Drops the dead-lettered head of each selected stream. A stream with nothing behind it is released; the
 * events parked behind the dropped one are sent to the first retry topic, due now, to apply in order.
 */
export async function discard(
  { pool, producer }: OperatorDependencies,
  projection: string,
  selector: DeadLetterSelector,
): Promise<{ streams: string[]; released: string[] }> {
  const result = await inTransaction(pool, async (tx) => {
    const rows = await lockDeadLettered(tx, projection, selector);
    const released: string[] = [];
    for (const { stream_id: streamId, head_seq: headSeq } of rows) {
      const { rows: next } = await tx.query<{ seq: string }>(
        `select seq from projection_parked_events where projection = $1 and stream_id = $2 and seq <> $3
          order by source_offset, seq limit 1`,
        [projection, streamId, headSeq],
      );
      if (next[0]) {
        const head = {
          streamId,
          headSeq: next[0].seq,
          stage: now(),
          attempts: 0,
          error: undefined,
          sameHead: false,
        };
        await setHead(tx, projection, head);
        await dropParked(tx, projection, streamId, [headSeq], { unpark: false });
      } else {
        await dropParked(tx, projection, streamId, [headSeq], { unpark: true });
        released.push(streamId);
      }
    }
    await resolveDeadLetters(
      tx,
      projection,
      rows.map((row) => row.stream_id),
      'discarded',
    );
    return { streams: rows.map((row) => row.stream_id), released };
  });
  const resumed = result.streams.filter((stream) => !result.released.includes(stream));
  if (resumed.length > 0) await publishParkedHeads(pool, producer, projection, { streamIds: resumed });
  return result;
}
