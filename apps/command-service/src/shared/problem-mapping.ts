import { DomainError, DomainErrorCode } from '@ledger/domain';
import {
  IdempotencyKeyConflictError,
  StreamTypeMismatchError,
  WrongExpectedVersionError,
} from '@ledger/event-store';
import { Problem, problem } from '@ledger/http';
import { EventSchemaViolationError } from '@ledger/messaging';

const STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  ACCOUNT_NOT_FOUND: 404,
  TRANSFER_NOT_FOUND: 404,
  ACCOUNT_ALREADY_OPEN: 409,
  TRANSFER_ALREADY_EXISTS: 409,
  ACCOUNT_FROZEN: 422,
  ACCOUNT_CLOSED: 422,
  INSUFFICIENT_FUNDS: 422,
  CURRENCY_MISMATCH: 422,
  DAILY_LIMIT_EXCEEDED: 422,
  NON_ZERO_BALANCE: 422,
  INVALID_AMOUNT: 422,
  INVALID_CURRENCY: 422,
  INVALID_STATE: 409,
  SAME_ACCOUNT: 422,
};

/** The one place where rule violations and store conflicts become HTTP problems. */
export function mapCommandError(error: unknown): Problem | undefined {
  if (error instanceof DomainError) {
    return problem(STATUS_BY_CODE[error.code], { code: error.code, detail: error.message });
  }
  if (error instanceof WrongExpectedVersionError) {
    return problem(409, {
      code: 'VERSION_CONFLICT',
      detail: error.message,
      expectedVersion: error.expected,
      actualVersion: error.actual,
    });
  }
  if (error instanceof IdempotencyKeyConflictError) {
    return problem(422, {
      code: 'IDEMPOTENCY_KEY_REUSED',
      detail: 'this Idempotency-Key was already used with a different request',
    });
  }
  if (error instanceof StreamTypeMismatchError) {
    return problem(404, { code: 'NOT_FOUND', detail: error.message });
  }
  if (error instanceof EventSchemaViolationError) {
    // The request was valid but the domain produced an event its published schema refuses: a defect
    // on our side, reported as such, with nothing recorded.
    return problem(500, {
      code: 'EVENT_SCHEMA_VIOLATION',
      detail: 'the resulting event does not match its published schema; nothing was recorded',
    });
  }
  return undefined;
}
