/** bigint columns arrive from pg as text; they leave the API as safe integers or not at all. */
export function safeInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new RangeError(`${value} is beyond the safe integer range`);
  return number;
}

/** Money: integer minor units. */
export const minorUnits = safeInteger;
