import type { Pool } from 'pg';
import type { DecodedEvent } from './event';
import { EventHeaders, headerStreamVersion } from './event';
import { isTransientError } from './errors';
import type { Candidate } from './plan';
import type { DecodeRecord, EventConsumer } from './projection';
import type { RetryPolicy } from './policy';
import type { ProjectionRecord } from './record';

/** What the main and retry paths share. */
export interface Runtime<E extends DecodedEvent> {
  pool: Pool;
  /** A projection or a reactor (named `projection` for the runtime's logs and metrics). */
  projection: EventConsumer<E>;
  decode: DecodeRecord<E>;
  policy: RetryPolicy;
}

/**
 * Decodes records in order. A failure that is not transient (bad bytes, unknown schema, bad headers) stays
 * with its record to be parked; a transient one (registry unreachable) rejects the whole chunk for a retry.
 * A record whose `event-type` header names a type outside `eventTypes` is not decoded at all: decoding is
 * the costly part (Avro, registry look-ups) and a consumer that acts on a few types skips most records.
 */
export async function decodeCandidates<E extends DecodedEvent>(
  decode: DecodeRecord<E>,
  records: readonly ProjectionRecord[],
  eventTypes?: ReadonlySet<string>,
): Promise<Candidate<E>[]> {
  return Promise.all(
    records.map(async (record): Promise<Candidate<E>> => {
      const type = record.headers[EventHeaders.eventType];
      if (eventTypes && type && !eventTypes.has(type)) {
        const streamId = record.key || noKey(record);
        return { record, streamId, version: headerStreamVersion(record), ignored: true };
      }
      try {
        const event = await decode(record);
        return { record, streamId: event.streamId, version: event.streamVersion, event };
      } catch (decodeError) {
        if (isTransientError(decodeError)) throw decodeError;
        // Without a key the record cannot join a stream's queue: it parks alone, under its coordinates.
        const streamId = record.key || noKey(record);
        return { record, streamId, version: headerStreamVersion(record), decodeError };
      }
    }),
  );
}

const noKey = (record: ProjectionRecord) => `(no key) ${record.topic}/${record.partition}/${record.offset}`;
