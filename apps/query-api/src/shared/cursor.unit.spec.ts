import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor, page } from './cursor';

const single = (key: unknown[]) => (key.length === 1 && typeof key[0] === 'string' ? key[0] : undefined);

describe('page cursors', () => {
  it('round-trip the sort key of their listing, in URL-safe characters', () => {
    const cursor = encodeCursor('statement', ['2025-01-31T00:00:00.000001Z', 7]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('statement', cursor, (key) => key)).toEqual(['2025-01-31T00:00:00.000001Z', 7]);
  });

  it.each([
    ['of another listing', encodeCursor('transfers', ['x'])],
    ['that is not base64 JSON', 'bm90LWpzb24'],
    ['whose key has the wrong shape', encodeCursor('accounts', [1, 2])],
  ])('refuses a cursor %s as a 400 on the cursor field', (_, cursor) => {
    try {
      decodeCursor('accounts', cursor, single);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(BadRequestException);
      expect((error as BadRequestException).getResponse()).toMatchObject({
        status: 400,
        errors: [{ field: 'cursor' }],
      });
    }
  });
});

describe('page', () => {
  const view = (n: number) => ({ n });
  const cursorOf = (n: number) => `after-${n}`;

  it('points past the last item shown when the query found one row more than the page', () => {
    expect(page([1, 2, 3], 2, view, cursorOf)).toEqual({
      items: [{ n: 1 }, { n: 2 }],
      nextCursor: 'after-2',
    });
  });

  it('has no next cursor on the last page', () => {
    expect(page([1, 2], 2, view, cursorOf)).toEqual({ items: [{ n: 1 }, { n: 2 }], nextCursor: null });
    expect(page([], 2, view, cursorOf)).toEqual({ items: [], nextCursor: null });
  });
});
