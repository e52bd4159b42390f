import { isDatabaseUnavailable } from '@ledger/postgres';

/**
 * Marks a failure as temporary: the runtime blocks the partition and retries with backoff instead of
 * treating the event as poison. Projections throw it for failures of their own dependencies.
 */
export class TransientError extends Error {
  override readonly name: string = 'TransientError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Another transaction advanced a stream's checkpoint concurrently (a zombie consumer after a rebalance). */
export class CheckpointConflictError extends TransientError {
  override readonly name = 'CheckpointConflictError';
}

// Besides an unavailable database (@ledger/postgres decides that): serialization failure, deadlock, lock
// not available, object in use, a statement timeout or cancel; a registry fetch that failed at the socket.
const transientSqlStates = new Set(['40001', '40P01', '55P03', '55006', '57014']);
const transientSystemCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

/** Classifies an error (and its causes) as transient: database or network unavailability, timeouts. */
export function isTransientError(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  if (error instanceof TransientError || isDatabaseUnavailable(error)) return true;
  const code = field(error, 'code');
  if (typeof code === 'string' && (transientSqlStates.has(code) || transientSystemCodes.has(code)))
    return true;
  if (field(error, 'retriable') === true) return true;
  const nested = field(error, 'errors');
  if (Array.isArray(nested) && nested.some((inner) => isTransientError(inner, depth + 1))) return true;
  return isTransientError(field(error, 'cause'), depth + 1);
}

export interface ErrorDescription {
  /** Error name plus its code when it has one, e.g. `error[23505]` for a pg unique violation. */
  errorClass: string;
  message: string;
}

const maxMessageLength = 2000;

export function describeError(error: unknown): ErrorDescription {
  if (!(error instanceof Error))
    return { errorClass: typeof error, message: String(error).slice(0, maxMessageLength) };
  const code = field(error, 'code');
  // node-postgres names its DatabaseError 'error': the class name says more.
  const name = error.name && !/^error$/i.test(error.name) ? error.name : error.constructor.name;
  return {
    errorClass: typeof code === 'string' || typeof code === 'number' ? `${name}[${code}]` : name,
    message: error.message.slice(0, maxMessageLength),
  };
}
