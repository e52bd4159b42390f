/**
 * Shares one call's result among callers with the same key for `ttlMs` (and while it runs), so many
 * waiting requests cost one query per interval. A failure is never reused.
 */
export function coalesce<A extends unknown[], T>(
  fn: (...args: A) => Promise<T>,
  options: { ttlMs: number; keyOf: (...args: A) => string; clock?: () => number },
): (...args: A) => Promise<T> {
  const clock = options.clock ?? Date.now;
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return (...args) => {
    const key = options.keyOf(...args);
    const now = clock();
    const entry = entries.get(key);
    if (entry && now - entry.at < options.ttlMs) return entry.value;
    const value = fn(...args);
    entries.set(key, { at: now, value });
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  };
}
