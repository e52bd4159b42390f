import { DatabaseError, type ClientBase } from 'pg';
import { validateAppend } from '../append-rules';
import {
  DuplicateEventIdError,
  IdempotencyKeyConflictError,
  StreamTypeMismatchError,
  WrongExpectedVersionError,
} from '../errors';
import type { AppendResult, ExpectedVersion, IdempotencyOptions, NewEvent } from '../types';
import { safeInteger } from '@ledger/runtime';
import { newEventId } from '../event-ids';
import { parseStoredResult } from './rows';

export interface AppendRequest {
  readonly streamId: string;
  readonly streamType: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly NewEvent[];
  readonly idempotency?: IdempotencyOptions;
}

// Named, so each connection parses and plans it once. The function does the whole append (locks, key,
// version check, insert): see the AppendFunction migration for the guarantees it keeps.
const APPEND = {
  name: 'event-store.append',
  text: `select next_expected_version, last_global_position::text, replayed, stored_result
         from append_to_stream($1, $2, $3, $4::jsonb, $5, $6)`,
};

interface AppendRow {
  next_expected_version: number | null;
  last_global_position: string | null;
  replayed: boolean;
  stored_result: unknown;
}

/**
 * One statement: autocommitted on a pooled client (one round trip), or inside the caller's open
 * transaction, which then commits or rolls back. Refusals arrive as typed errors; nothing was written.
 */
export async function appendWith(
  client: Pick<ClientBase, 'query'>,
  request: AppendRequest,
): Promise<AppendResult> {
  const { streamId, streamType, expectedVersion, events, idempotency } = request;
  validateAppend(streamId, streamType, expectedVersion, events);
  const eventIds = events.map((event) => event.eventId ?? newEventId());
  const batch = events.map((event, index) => ({
    eventId: eventIds[index],
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata ?? {},
  }));
  let row: AppendRow;
  try {
    const { rows } = await client.query<AppendRow>({
      ...APPEND,
      values: [
        streamId,
        streamType,
        expectedVersion === 'any' ? null : expectedVersion === 'no_stream' ? 0 : expectedVersion,
        JSON.stringify(batch),
        idempotency?.key ?? null,
        idempotency?.requestHash ?? null,
      ],
    });
    row = rows[0];
  } catch (error) {
    throw translateAppendError(error, request);
  }
  if (row.replayed)
    return { ...parseStoredResult(row.stored_result, idempotency?.key ?? ''), replayed: true };
  return {
    nextExpectedVersion: row.next_expected_version ?? 0,
    lastGlobalPosition: safeInteger(row.last_global_position ?? '0', 'global position'),
    eventIds,
    replayed: false,
  };
}

/** Kept for callers that append inside a transaction of their own (tests of the tail's ordering). */
export const appendInTransaction = appendWith;

function translateAppendError(
  error: unknown,
  { streamId, streamType, expectedVersion, idempotency }: AppendRequest,
) {
  if (!(error instanceof DatabaseError)) return error;
  switch (error.code) {
    case 'EV001':
      return new WrongExpectedVersionError(streamId, expectedVersion, Number(error.detail));
    case 'EV002':
      return new StreamTypeMismatchError(streamId, error.detail ?? '', streamType);
    case 'EV003':
      return new IdempotencyKeyConflictError(idempotency?.key ?? '');
    case '23505':
      // The stream lock rules out a version race; a repeated event id is the caller's.
      return error.constraint === 'events_event_id_unique' ? new DuplicateEventIdError(streamId) : error;
    default:
      return error;
  }
}
