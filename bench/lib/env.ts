/** Benchmark settings from the environment: a bad value stops the run with the variable's name. */

/** An integer of at least `minimum` (default 1), or `fallback` when unset or empty. */
export function envInteger(name: string, fallback: number, minimum = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < minimum)
    throw new RangeError(`${name} must be an integer of at least ${minimum}, got "${raw}"`);
  return value;
}

/** A comma-separated list of integers of at least 1, or `fallback` when unset or empty. */
export function envIntegerList(name: string, fallback: readonly number[]): readonly number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  return raw.split(',').map((part, index) => {
    const value = Number(part.trim());
    if (!Number.isSafeInteger(value) || value < 1)
      throw new RangeError(`${name}[${index}] must be a positive integer, got "${part}"`);
    return value;
  });
}
