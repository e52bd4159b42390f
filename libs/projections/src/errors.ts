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

// SQLSTATE classes and codes that say "try again": connection exceptions (08), insufficient resources (53),
// operator intervention (57: shutdown, statement timeout), serialization failure, deadlock, lock timeout,
// system I/O errors (58).
const transientSqlStateClasses = ['08', '53', '57', '58'];
const transientSqlStates = new Set(['40001', '40P01', '55P03', '55006']);
const transientSystemCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);
// node-postgres reports a lost connection or an exhausted pool as plain errors without a code.
const transientMessages = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /query read timeout/i,
  /cannot use a pool after calling end/i,
];

function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

/** Classifies an error (and its causes) as transient: database or network unavailability, timeouts. */
export function isTransientError(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  if (error instanceof TransientError) return true;
  const code = field(error, 'code');
  if (typeof code === 'string') {
    if (
      /^[0-9A-Z]{5}$/.test(code) &&
      (transientSqlStates.has(code) || transientSqlStateClasses.includes(code.slice(0, 2)))
    ) {
      return true;
    }
    if (transientSystemCodes.has(code)) return true;
  }
  if (field(error, 'retriable') === true) return true;
  const message = field(error, 'message');
  if (typeof message === 'string' && transientMessages.some((pattern) => pattern.test(message))) return true;
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
