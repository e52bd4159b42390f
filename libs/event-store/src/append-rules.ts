import { WrongExpectedVersionError } from './errors';
import type { ExpectedVersion, NewEvent } from './types';

// Rules both stores apply identically, so the in-memory store cannot drift from the Postgres one.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const DEFAULT_READ_LIMIT = 1000;
export const MAX_READ_LIMIT = 10_000;

/** Rejects malformed requests before anything touches storage; these are programming errors. */
export function validateAppend(
  streamId: string,
  streamType: string,
  expectedVersion: ExpectedVersion,
  events: readonly NewEvent[],
): void {
  if (streamId.length === 0) throw new TypeError('streamId must not be empty');
  if (streamType.length === 0) throw new TypeError('streamType must not be empty');
  if (
    typeof expectedVersion === 'number' &&
    !(Number.isSafeInteger(expectedVersion) && expectedVersion >= 0)
  ) {
    throw new TypeError(`expected version must be a non-negative integer, got ${expectedVersion}`);
  }
  for (const event of events) {
    if (event.type.length === 0) throw new TypeError('event type must not be empty');
    if (!(Number.isSafeInteger(event.schemaVersion) && event.schemaVersion >= 1)) {
      throw new TypeError(`schema version of ${event.type} must be a positive integer`);
    }
    if (event.data === undefined) throw new TypeError(`data of ${event.type} must not be undefined`);
    if (event.eventId !== undefined && !UUID.test(event.eventId)) {
      throw new TypeError(`event id ${event.eventId} is not a UUID`);
    }
  }
}

export function checkExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): void {
  if (expected === 'any') return;
  const wanted = expected === 'no_stream' ? 0 : expected;
  if (wanted !== actual) throw new WrongExpectedVersionError(streamId, expected, actual);
}

export function resolveLimit(limit: number | undefined): number {
  const value = limit ?? DEFAULT_READ_LIMIT;
  if (!(Number.isSafeInteger(value) && value >= 1 && value <= MAX_READ_LIMIT)) {
    throw new RangeError(`limit must be an integer between 1 and ${MAX_READ_LIMIT}, got ${value}`);
  }
  return value;
}
