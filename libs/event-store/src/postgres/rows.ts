import { safeInteger } from '@ledger/runtime';
import type { AppendResult, EventMetadata, LogPosition, RecordedEvent } from '../types';

// bigint and xid8 arrive as text; they become numbers only when exact (2^53 positions is beyond reach).

export const EVENT_COLUMNS = `global_position::text, transaction_id::text, stream_id, stream_type, stream_version,
  event_id::text, event_type, schema_version, data, metadata, recorded_at`;

export interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_type: string;
  stream_version: number;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    globalPosition: safeInteger(row.global_position, 'global position'),
    transactionId: safeInteger(row.transaction_id, 'transaction id'),
    streamId: row.stream_id,
    streamType: row.stream_type,
    streamVersion: row.stream_version,
    eventId: row.event_id,
    type: row.event_type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}

export interface LogPositionRow {
  transaction_id: string;
  global_position: string;
}

export function toLogPosition(row: LogPositionRow): LogPosition {
  return {
    transactionId: safeInteger(row.transaction_id, 'transaction id'),
    globalPosition: safeInteger(row.global_position, 'global position'),
  };
}

/** What an idempotency key stores: the append result without the replay flag. */
export type StoredAppendResult = Omit<AppendResult, 'replayed'>;

export function parseStoredResult(value: unknown, key: string): StoredAppendResult {
  const candidate = value as Partial<StoredAppendResult> | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    !Number.isSafeInteger(candidate.nextExpectedVersion) ||
    !Number.isSafeInteger(candidate.lastGlobalPosition) ||
    !Array.isArray(candidate.eventIds)
  ) {
    throw new Error(`idempotency key ${key} holds no valid append result`);
  }
  return {
    nextExpectedVersion: candidate.nextExpectedVersion as number,
    lastGlobalPosition: candidate.lastGlobalPosition as number,
    eventIds: candidate.eventIds.map(String),
  };
}
