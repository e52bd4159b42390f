import { DomainError } from './errors';
import { addMinor, assertCurrencyCode, assertPositiveAmount } from './money';
import { utcDay } from './time';

describe('money', () => {
  it('accepts the largest exactly representable amount', () => {
    expect(() => assertPositiveAmount(Number.MAX_SAFE_INTEGER)).not.toThrow();
  });

  it('refuses fractional minor units', () => {
    expect(() => assertPositiveAmount(0.1 + 0.2)).toThrow(DomainError);
  });

  it('refuses a sum beyond exact integer range', () => {
    expect(addMinor(Number.MAX_SAFE_INTEGER - 1, 1)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => addMinor(Number.MAX_SAFE_INTEGER, 1)).toThrow(
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
