import { ReadModelError } from './errors';

/** A bigint column as read by pg (a string) or an amount from an event, as a safe integer. */
export function minorUnits(value: string | number, what: string): number {
  const amount = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(amount)) {
    throw new ReadModelError('unsafe-amount', `${what} is not a safe integer: ${value}`);
  }
  return amount;
}

/** `a + b`, refusing results that a double cannot hold exactly. */
export const addMinorUnits = (a: number, b: number, what: string): number => minorUnits(a + b, what);
