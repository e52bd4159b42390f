import { isDateTime } from './date-time';

describe('isDateTime', () => {
  it.each([
    '2025-01-31T00:00:00Z',
    '2025-01-31T23:59:59.123456+02:00',
    '2024-02-29T12:00Z',
    '2025-06-01T08:30:00-05:30',
  ])('accepts %s', (value) => expect(isDateTime(value)).toBe(true));

  it.each([
    ['a date without a time', '2025-01-31'],
    ['a time without an offset', '2025-01-31T10:00:00'],
    ['a day the month does not have', '2025-02-29T00:00:00Z'],
    ['hour 24', '2025-01-31T24:00:00Z'],
    ['month 13', '2025-13-01T00:00:00Z'],
    ['nanoseconds', '2025-01-31T00:00:00.1234567Z'],
    ['words', 'yesterday'],
    ['a number', 1_700_000_000],
  ])('refuses %s', (_, value) => expect(isDateTime(value)).toBe(false));
});
