import { BadRequestException } from '@nestjs/common';
import { problem } from '@ledger/http';

type KeyPart = string | number;

/**
 * Opaque page cursors: base64url of the last row's sort key, tagged with the listing it belongs to so
 * a cursor from one listing is refused by another instead of silently skipping rows.
 */
export function encodeCursor(listing: string, key: readonly KeyPart[]): string {
  return Buffer.from(JSON.stringify([listing, ...key])).toString('base64url');
}

/** The sort key inside `cursor`; a 400 problem on `cursor` when it is not one of this listing's. */
export function decodeCursor<K>(
  listing: string,
  cursor: string,
  parse: (key: unknown[]) => K | undefined,
): K {
  const key = tryDecode(listing, cursor);
  const parsed = key === undefined ? undefined : parse(key);
  if (parsed === undefined) {
    const message = 'cursor must be a nextCursor returned by this listing';
    throw new BadRequestException(
      problem(400, {
        code: 'VALIDATION_FAILED',
        detail: 'the request is invalid',
        errors: [{ field: 'cursor', message }],
      }),
    );
  }
  return parsed;
}

function tryDecode(listing: string, cursor: string): unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value[0] !== listing) return undefined;
    return value.slice(1);
  } catch {
    return undefined;
  }
}

/** Up to `limit` rows and the cursor after the last one, from a query that fetched `limit + 1`. */
export function page<R, T>(
  rows: readonly R[],
  limit: number,
  view: (row: R) => T,
  cursorOf: (row: R) => string,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items: items.map(view), nextCursor: more ? cursorOf(items[items.length - 1]!) : null };
}
