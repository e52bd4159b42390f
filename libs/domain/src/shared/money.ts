import { DomainError } from './errors';

/** Amounts are integers in the currency's minor units (cents), never floats. */
export type MinorUnits = number;

const CURRENCY_CODE = /^[A-Z]{3}$/;

/**
 * The largest amount, limit or balance the ledger holds: 10^15 - 1 minor units. Avro's `long` as encoded
 * by avsc stops at 2^52 and JavaScript numbers at 2^53 - 1; below 2^52 every value fits the event schemas,
 * and the sum of two of them is still an exact integer, so balance arithmetic can check before it overflows.
 */
export const MAX_MINOR_UNITS = 999_999_999_999_999;

export function assertPositiveAmount(amount: MinorUnits, what = 'amount'): void {
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > MAX_MINOR_UNITS) {
    throw new DomainError(
      'INVALID_AMOUNT',
      `${what} must be a positive integer in minor units up to ${MAX_MINOR_UNITS}, got ${amount}`,
    );
  }
}

export function assertNonNegativeAmount(amount: MinorUnits, what: string): void {
  if (!Number.isSafeInteger(amount) || amount < 0 || amount > MAX_MINOR_UNITS) {
    throw new DomainError(
      'INVALID_AMOUNT',
      `${what} must be a non-negative integer in minor units up to ${MAX_MINOR_UNITS}, got ${amount}`,
    );
  }
}

export function assertCurrencyCode(currency: string): void {
  if (!CURRENCY_CODE.test(currency)) {
    throw new DomainError('INVALID_CURRENCY', `currency must be 3 upper-case letters, got "${currency}"`);
  }
}

export function assertSameCurrency(expected: string, actual: string): void {
  if (expected !== actual) {
    throw new DomainError('CURRENCY_MISMATCH', `account holds ${expected}, movement is in ${actual}`);
  }
}

/** Refuses a credit that would take the balance beyond MAX_MINOR_UNITS either way. */
export function assertCreditFits(balance: MinorUnits, amount: MinorUnits): void {
  const sum = balance + amount;
  if (!Number.isSafeInteger(sum) || Math.abs(sum) > MAX_MINOR_UNITS) {
    throw new DomainError(
      'INVALID_AMOUNT',
      `the resulting balance would exceed ${MAX_MINOR_UNITS} minor units`,
    );
  }
}
