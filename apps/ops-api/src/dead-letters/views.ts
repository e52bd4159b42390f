import type { DeadLetter } from '@ledger/projections';
import type { AvroEventCodec } from '@ledger/messaging';
import type { DeadLetterDetail, DeadLetterSummary } from './dead-letter-dtos';

export function summaryOf(letter: DeadLetter): DeadLetterSummary {
  return {
    id: letter.id,
    projection: letter.projection,
    streamId: letter.streamId,
    streamVersion: letter.streamVersion,
    eventId: letter.eventId,
    eventType: letter.eventType,
    source: letter.source,
    attempts: letter.attempts,
    firstFailedAt: letter.firstFailedAt.toISOString(),
    deadLetteredAt: letter.deadLetteredAt.toISOString(),
    errorClass: letter.errorClass,
    errorMessage: letter.errorMessage,
    status: letter.status,
    resolvedAt: letter.resolvedAt?.toISOString() ?? null,
    parkedBehind: letter.parkedBehind,
  };
}

// Avro longs may decode to bigint and bytes to Buffers: both become JSON strings.
const jsonSafe = (data: unknown): unknown =>
  JSON.parse(
    JSON.stringify(data, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)),
  );

/** The dead letter with its record decoded through the registry; an undecodable record is shown, not failed. */
export async function detailOf(letter: DeadLetter, codec: AvroEventCodec): Promise<DeadLetterDetail> {
  const summary = summaryOf(letter);
  const headers = letter.record.headers;
  if (letter.record.value === null)
    return { ...summary, headers, event: null, decodeError: 'the record has no value' };
  try {
    const decoded = await codec.decode(letter.record.value);
    return {
      ...summary,
      headers,
      event: { type: decoded.type, version: decoded.version, data: jsonSafe(decoded.data) },
    };
  } catch (error) {
    return {
      ...summary,
      headers,
      event: null,
      decodeError: error instanceof Error ? error.message : String(error),
    };
  }
}
