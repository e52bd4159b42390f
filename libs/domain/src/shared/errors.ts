/** Stable codes for rule violations; adapters map each code once (HTTP problem+json, CLI exit codes). */
export type DomainErrorCode =
  | 'ACCOUNT_NOT_FOUND'
  | 'ACCOUNT_ALREADY_OPEN'
  | 'ACCOUNT_FROZEN'
  | 'ACCOUNT_CLOSED'
  | 'INSUFFICIENT_FUNDS'
  | 'CURRENCY_MISMATCH'
  | 'DAILY_LIMIT_EXCEEDED'
  | 'NON_ZERO_BALANCE'
  | 'INVALID_AMOUNT'
  | 'INVALID_CURRENCY'
  | 'INVALID_STATE'
  | 'SAME_ACCOUNT'
  | 'TRANSFER_NOT_FOUND'
  | 'TRANSFER_ALREADY_EXISTS';

/**
 * A command was refused by a business rule. `decide` throws it; nothing has been recorded.
 * Infrastructure failures are never DomainErrors, so a caller can safely treat this one as final.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Narrows an unknown thrown value, including one that crossed a module boundary. */
export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
