import type { ExpectedVersion } from './types';

/** Base class of the store's typed failures. */
export abstract class EventStoreError extends Error {
  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The stream moved on since the caller read it; nothing was written. */
export class WrongExpectedVersionError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at version ${actual}, expected ${expected}`);
  }
}

/** The idempotency key was used before for a different request; nothing was written. */
export class IdempotencyKeyConflictError extends EventStoreError {
  constructor(readonly key: string) {
    super(`idempotency key ${key} was already used with a different request`);
  }
}

/** An event id in the batch is already stored; nothing was written. */
export class DuplicateEventIdError extends EventStoreError {
  constructor(readonly streamId: string) {
    super(`an event id appended to stream ${streamId} is already stored`);
  }
}

/** The stream exists with another stream type; nothing was written. */
export class StreamTypeMismatchError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly storedType: string,
    readonly requestedType: string,
  ) {
    super(`stream ${streamId} has type ${storedType}, not ${requestedType}`);
  }
}
