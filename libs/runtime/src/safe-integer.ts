/**
 * A number from text (a pg bigint, a header) or from arithmetic, refused unless a double holds it exactly.
 * `refuse` builds the caller's own error (a read-model error, an invalid envelope); a RangeError by default.
 */
export function safeInteger(
  value: string | number,
  what = 'value',
  refuse: (message: string) => Error = (message) => new RangeError(message),
): number {
  const number = typeof value === 'number' ? value : /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number)) throw refuse(`${what} is not a safe integer: ${value}`);
  return number;
}
