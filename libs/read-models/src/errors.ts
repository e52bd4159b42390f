/** Why a read model cannot take an event; every one marks the event as poison (retry topics, then DLQ). */
export type ReadModelErrorCode =
  /** The stream's first event (AccountOpened, TransferRequested) was never applied. */
  | 'not-created'
  /** A creating event arrived for a row that exists. */
  | 'already-created'
  /** The event's id field does not match the stream it was recorded in. */
  | 'stream-mismatch'
  /** An amount or balance left the range of safe integers. */
  | 'unsafe-amount';

/** An event the read model cannot apply as recorded; never transient. */
export class ReadModelError extends Error {
  override readonly name = 'ReadModelError';

  constructor(
    readonly code: ReadModelErrorCode,
    message: string,
  ) {
    super(message);
  }
}
