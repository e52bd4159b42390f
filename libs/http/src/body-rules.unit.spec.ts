import {
  cappedErrors,
  hostileBodyErrors,
  isStorableText,
  MAX_JSON_DEPTH,
  MAX_LISTED_ERRORS,
  parseSize,
} from './body-rules';

describe('hostile body shapes', () => {
  it('accepts an ordinary body', () => {
    expect(
      hostileBodyErrors({ ownerId: 'Zoë 😀', currency: 'EUR', amount: 5, tags: ['a', { b: null }] }),
    ).toEqual([]);
  });

  it('refuses nesting deeper than the limit without recursing', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(hostileBodyErrors(deep)).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/nesting deeper/) }),
    ]);
    const justDeepEnough = JSON.parse(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`);
    expect(hostileBodyErrors(justDeepEnough)).toEqual([]);
  });

  it('refuses prototype keys where JSON.parse keeps them, naming the path', () => {
    const body = JSON.parse('{"a":{"__proto__":{"x":1}},"constructor":1}');
    expect(
      hostileBodyErrors(body)
        .map((error) => error.field)
        .sort(),
    ).toEqual(['a.__proto__', 'constructor']);
  });

  it('refuses NUL and unpaired surrogates in values and keys, but not surrogate pairs', () => {
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('\ud800')).toBe(false);
    expect(isStorableText('x\udc00')).toBe(false);
    expect(isStorableText('\ud83d\ude00')).toBe(true);
    expect(hostileBodyErrors({ list: ['ok', 'bad\u0000'] })).toEqual([
      expect.objectContaining({ field: 'list[1]' }),
    ]);
    expect(hostileBodyErrors({ ['k\ud800']: 1 })).toHaveLength(1);
  });

  it('lists at most MAX_LISTED_ERRORS errors and counts the rest', () => {
    const errors = Array.from({ length: 1_500 }, (_, index) => ({ field: `f${index}`, message: 'm' }));
    expect(cappedErrors(errors)).toEqual({
      errors: errors.slice(0, MAX_LISTED_ERRORS),
      errorsOmitted: 1_500 - MAX_LISTED_ERRORS,
    });
    expect(cappedErrors(errors.slice(0, 3))).toEqual({ errors: errors.slice(0, 3) });
  });

  it('reads body limits such as 16kb', () => {
    expect(parseSize('16kb')).toBe(16_384);
    expect(parseSize('1MB')).toBe(1_048_576);
    expect(() => parseSize('lots')).toThrow(RangeError);
  });
});
