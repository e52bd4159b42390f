import { DomainError } from './errors';
import {
  assertCreditFits,
  assertCurrencyCode,
  assertNonNegativeAmount,
  assertPositiveAmount,
  MAX_MINOR_UNITS,
} from './money';
import { utcDay } from './time';

describe('money', () => {
  it('accepts amounts up to the documented maximum and refuses anything above it', () => {
    expect(() => assertPositiveAmount(MAX_MINOR_UNITS)).not.toThrow();
    expect(() => assertPositiveAmount(MAX_MINOR_UNITS + 1)).toThrow(
      expect.objectContaining({ code: 'INVALID_AMOUNT' }),
    );
    expect(() => assertPositiveAmount(Number.MAX_SAFE_INTEGER)).toThrow(
      expect.objectContaining({ code: 'INVALID_AMOUNT' }),
    );
    expect(() => assertNonNegativeAmount(Number.MAX_SAFE_INTEGER, 'overdraftLimit')).toThrow(DomainError);
  });

  it('keeps the maximum inside what the Avro long encoding accepts (2^52)', () => {
    expect(MAX_MINOR_UNITS).toBeLessThan(2 ** 52);
    expect(Number.isSafeInteger(MAX_MINOR_UNITS * 2)).toBe(true);
  });

  it('refuses fractional minor units', () => {
    expect(() => assertPositiveAmount(0.1 + 0.2)).toThrow(DomainError);
  });

  it('refuses a balance beyond the maximum', () => {
    expect(() => assertCreditFits(MAX_MINOR_UNITS - 1, 1)).not.toThrow();
    expect(() => assertCreditFits(MAX_MINOR_UNITS, 1)).toThrow(
      expect.objectContaining({ code: 'INVALID_AMOUNT' }),
    );
    expect(() => assertCreditFits(-MAX_MINOR_UNITS, -1)).toThrow(
      expect.objectContaining({ code: 'INVALID_AMOUNT' }),
    );
  });

  it('accepts only three upper-case letters as a currency', () => {
    expect(() => assertCurrencyCode('JPY')).not.toThrow();
    expect(() => assertCurrencyCode('jpy')).toThrow(expect.objectContaining({ code: 'INVALID_CURRENCY' }));
  });
});

describe('utcDay', () => {
  it('takes the calendar day in UTC, whatever offset the timestamp carries', () => {
    expect(utcDay('2025-03-14T23:59:59.999Z')).toBe('2025-03-14');
    expect(utcDay('2025-03-15T00:30:00+01:00')).toBe('2025-03-14');
  });

  it('rejects a string that is not a timestamp as a programming error', () => {
    expect(() => utcDay('yesterday')).toThrow(TypeError);
  });
});
