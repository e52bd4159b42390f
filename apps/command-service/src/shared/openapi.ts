import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiProblems, BODY_PROBLEMS, EDGE_PROBLEMS } from '@ledger/http';

const BAD_REQUEST = 'VALIDATION_FAILED (fields listed), INVALID_HEADER, MALFORMED_JSON';

/** Headers every command takes, as the command context parses them. */
export const CommandHeaders = (idempotencyDescription: string) =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: idempotencyDescription,
      schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
    }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'Expected stream version (the ETag of an earlier answer); 409 when stale',
      schema: { type: 'string', pattern: '^(?:W/)?"?\\d{1,9}"?$' },
    }),
  );

/** The refusals of a command on an existing account. */
export const AccountCommandProblems = (extra: Record<number, string> = {}) =>
  ApiProblems({
    400: BAD_REQUEST,
    404: 'ACCOUNT_NOT_FOUND',
    409: 'VERSION_CONFLICT (If-Match is stale), INVALID_STATE',
    422: 'A rule refused the command (code says which), or IDEMPOTENCY_KEY_REUSED',
    ...BODY_PROBLEMS,
    ...EDGE_PROBLEMS,
    ...extra,
  });

export const OpenAccountProblems = () =>
  ApiProblems({
    400: BAD_REQUEST,
    409: 'ACCOUNT_ALREADY_OPEN',
    422: 'INVALID_AMOUNT, INVALID_CURRENCY or IDEMPOTENCY_KEY_REUSED',
    ...BODY_PROBLEMS,
    ...EDGE_PROBLEMS,
  });

export const TransferProblems = () =>
  ApiProblems({
    400: BAD_REQUEST,
    404: 'ACCOUNT_NOT_FOUND: the source or the destination does not exist',
    409: 'TRANSFER_ALREADY_EXISTS',
    422: 'SAME_ACCOUNT, CURRENCY_MISMATCH, ACCOUNT_CLOSED (source or destination), ACCOUNT_FROZEN (source), INVALID_AMOUNT or IDEMPOTENCY_KEY_REUSED',
    ...BODY_PROBLEMS,
    ...EDGE_PROBLEMS,
  });

export const StateProblems = () =>
  ApiProblems({ 400: 'INVALID_QUERY, VALIDATION_FAILED', 404: 'ACCOUNT_NOT_FOUND', ...EDGE_PROBLEMS });
