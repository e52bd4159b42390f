import { safeInteger } from '@ledger/runtime';
import { ReadModelError } from './errors';

/** A bigint column as read by pg (a string) or an amount from an event, as a safe integer. */
export const minorUnits = (value: string | number, what: string): number =>
  safeInteger(value, what, (message) => new ReadModelError('unsafe-amount', message));

/** `a + b`, refusing results that a double cannot hold exactly. */
export const addMinorUnits = (a: number, b: number, what: string): number => minorUnits(a + b, what);
