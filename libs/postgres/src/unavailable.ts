// SQLSTATE classes that say the database cannot serve right now: connection exceptions (08), insufficient
// resources (53), operator intervention (57: shutdown, terminated, cannot connect now), system errors (58).
const UNAVAILABLE_SQLSTATE_CLASSES = new Set(['08', '53', '57', '58']);
// 57014 is a statement timeout or a cancel: the statement's fault, not the database's availability.
const AVAILABLE_SQLSTATES = new Set(['57014']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// node-postgres reports a lost connection or a connect timeout as plain errors without a code.
const NETWORK_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /query read timeout/i,
];

function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

/**
 * Whether an error (or one of its causes) says the database is unreachable or not accepting work: a
 * refused or dropped connection, a server shutting down or restarting, too many connections. Such a
 * failure is worth retrying later; nothing about the request itself was wrong.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const code = field(error, 'code');
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true;
    if (
      /^[0-9A-Z]{5}$/.test(code) &&
      !AVAILABLE_SQLSTATES.has(code) &&
      UNAVAILABLE_SQLSTATE_CLASSES.has(code.slice(0, 2))
    ) {
      return true;
    }
  }
  const message = field(error, 'message');
  if (typeof message === 'string' && NETWORK_MESSAGES.some((pattern) => pattern.test(message))) return true;
  const nested = field(error, 'errors');
  if (Array.isArray(nested) && nested.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(field(error, 'cause'), depth + 1);
}
