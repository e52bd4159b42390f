import { randomUUID } from 'node:crypto';
import type { ClientBase } from 'pg';
import { checkExpectedVersion, validateAppend } from '../append-rules';
import { IdempotencyKeyConflictError, StreamTypeMismatchError } from '../errors';
import type { AppendResult, ExpectedVersion, IdempotencyOptions, NewEvent } from '../types';
import { parseStoredResult, toSafeInteger, type StoredAppendResult } from './rows';

export interface AppendRequest {
  readonly streamId: string;
  readonly streamType: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly NewEvent[];
  readonly idempotency?: IdempotencyOptions;
}

// A lock namespace of its own (the two-integer advisory lock form), so stream locks never collide with
// single-key advisory locks such as leader election. Two streams sharing a hash merely serialize.
const STREAM_LOCK_SPACE = 0x65_76_73_74;

/**
 * Appends within the caller's open transaction; the caller commits, or rolls back when this throws.
 *
 * Order matters. The stream lock comes first and does not allocate a transaction id, so a transaction that
 * appends to a stream after another gets a higher xid than it: the tail's (transaction_id, global_position)
 * order then keeps every stream in version order. The idempotency key is inserted before anything else is
 * written, so a concurrent request with the same key waits on it and then sees the committed result.
 */
export async function appendInTransaction(client: ClientBase, request: AppendRequest): Promise<AppendResult> {
  const { streamId, streamType, expectedVersion, events, idempotency } = request;
  validateAppend(streamId, streamType, expectedVersion, events);
  await client.query('select pg_advisory_xact_lock($1, hashtext($2))', [STREAM_LOCK_SPACE, streamId]);

  if (idempotency !== undefined) {
    const replay = await claimIdempotencyKey(client, idempotency, streamId);
    if (replay !== undefined) return { ...replay, replayed: true };
  }

  const head = await readStreamHead(client, streamId);
  if (head !== undefined && head.streamType !== streamType) {
    throw new StreamTypeMismatchError(streamId, head.streamType, streamType);
  }
  const currentVersion = head?.version ?? 0;
  checkExpectedVersion(streamId, expectedVersion, currentVersion);

  const eventIds = events.map((event) => event.eventId ?? randomUUID());
  const positions = events.length === 0 ? [] : await insertEvents(client, request, currentVersion, eventIds);
  const result: StoredAppendResult = {
    nextExpectedVersion: currentVersion + events.length,
    lastGlobalPosition: positions.at(-1) ?? head?.globalPosition ?? 0,
    eventIds,
  };
  if (idempotency !== undefined) {
    await client.query('update idempotency_keys set result = $2::jsonb where key = $1', [
      idempotency.key,
      JSON.stringify(result),
    ]);
  }
  return { ...result, replayed: false };
}

/** Undefined when this transaction now owns the key; the earlier result when the key was used before. */
async function claimIdempotencyKey(
  client: ClientBase,
  { key, requestHash }: IdempotencyOptions,
  streamId: string,
): Promise<StoredAppendResult | undefined> {
  const claimed = await client.query(
    `insert into idempotency_keys (key, request_hash, stream_id) values ($1, $2, $3)
     on conflict (key) do nothing returning key`,
    [key, requestHash, streamId],
  );
  if (claimed.rowCount === 1) return undefined;
  const existing = await client.query<{ request_hash: string; result: unknown }>(
    'select request_hash, result from idempotency_keys where key = $1',
    [key],
  );
  const row = existing.rows[0];
  if (row === undefined) throw new Error(`idempotency key ${key} conflicted but cannot be read`);
  if (row.request_hash !== requestHash) throw new IdempotencyKeyConflictError(key);
  return parseStoredResult(row.result, key);
}

export interface StreamHead {
  readonly version: number;
  readonly streamType: string;
  readonly globalPosition: number;
}

export async function readStreamHead(
  client: Pick<ClientBase, 'query'>,
  streamId: string,
): Promise<StreamHead | undefined> {
  const { rows } = await client.query<{
    stream_version: number;
    stream_type: string;
    global_position: string;
  }>(
    `select stream_version, stream_type, global_position::text from events
     where stream_id = $1 order by stream_version desc limit 1`,
    [streamId],
  );
  const row = rows[0];
  return row === undefined
    ? undefined
    : {
        version: row.stream_version,
        streamType: row.stream_type,
        globalPosition: toSafeInteger(row.global_position, 'global position'),
      };
}

async function insertEvents(
  client: ClientBase,
  { streamId, streamType, events }: AppendRequest,
  currentVersion: number,
  eventIds: readonly string[],
): Promise<number[]> {
  const batch = events.map((event, index) => ({
    eventId: eventIds[index],
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata ?? {},
  }));
  // One statement for the whole batch; rows are produced, and so numbered, in batch order.
  const { rows } = await client.query<{ global_position: string }>(
    `insert into events (stream_id, stream_type, stream_version, event_id, event_type, schema_version, data, metadata)
     select $1, $2, $3::int + e.ordinality::int, (e.item->>'eventId')::uuid, e.item->>'type',
            (e.item->>'schemaVersion')::int, e.item->'data', e.item->'metadata'
     from jsonb_array_elements($4::jsonb) with ordinality as e(item, ordinality)
     order by e.ordinality
     returning global_position::text`,
    [streamId, streamType, currentVersion, JSON.stringify(batch)],
  );
  return rows.map((row) => toSafeInteger(row.global_position, 'global position')).sort((a, b) => a - b);
}
