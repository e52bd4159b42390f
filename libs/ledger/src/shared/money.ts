import { DomainError } from './errors';

/** Amounts are integers in the currency's minor units (cents), never floats. */
export type MinorUnits = number;

const CURRENCY_CODE = /^[A-Z]{3}$/;

export function assertPositiveAmount(amount: MinorUnits, what = 'amount'): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new DomainError(
      'INVALID_AMOUNT',
      `${what} must be a positive integer in minor units, got ${amount}`,
    );
  }
}

export function assertNonNegativeAmount(amount: MinorUnits, what: string): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new DomainError(
      'INVALID_AMOUNT',
      `${what} must be a non-negative integer in minor units, got ${amount}`,
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

/** Adds minor units, refusing a result that a double can no longer represent exactly. */
export function addMinor(a: MinorUnits, b: MinorUnits): MinorUnits {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) {
    throw new DomainError('INVALID_AMOUNT', 'the resulting balance is out of the representable range');
  }
  return sum;
}
