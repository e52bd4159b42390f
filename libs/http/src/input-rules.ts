import { applyDecorators, BadRequestException, PipeTransform } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { codes } from 'currency-codes';
import { problem } from './problem';
import { isStorableText, STORABLE_TEXT_MESSAGE } from './body-rules';

// Decorators and pipes for input both APIs take, so each refuses and normalises it the same way.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are stored and compared in lower case; an upper-case spelling of an id names the same thing. */
export const normalizeUuid = (value: unknown): unknown =>
  typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : value;

/** A field (body, query or path DTO) holding a UUID, lower-cased before validation. */
export const LowerCaseUuid = () => Transform(({ value }) => normalizeUuid(value));

/** `@Param('id', UuidPipe)`: a UUID path parameter, in lower case; 400 otherwise. */
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value === 'string' && UUID.test(value)) return value.toLowerCase();
    const message = 'id must be a UUID';
    throw new BadRequestException(
      problem(400, {
        code: 'VALIDATION_FAILED',
        detail: 'the request is invalid',
        errors: [{ field: 'id', message }],
      }),
    );
  }
}

/** Text fields: no NUL, no unpaired surrogate (Postgres refuses both; the answer would be a 500). */
export const StorableText = () =>
  ValidateBy({
    name: 'isStorableText',
    validator: {
      validate: (value) => typeof value !== 'string' || isStorableText(value),
      defaultMessage: () => `$property ${STORABLE_TEXT_MESSAGE}`,
    },
  });

// Codes in ISO 4217 that are not money an account can hold: precious metals, bond-market units, SDR and
// similar, the testing code and "no currency".
const NOT_MONEY = new Set([
  'XAG',
  'XAU',
  'XPD',
  'XPT',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XSU',
  'XUA',
  'XTS',
  'XXX',
]);

/** Active ISO 4217 currency codes (the currency-codes package's copy of the list) an account can be kept in. */
export const CURRENCY_CODES: readonly string[] = codes().filter((code) => !NOT_MONEY.has(code));
const CURRENCIES = new Set(CURRENCY_CODES);

export const isCurrencyCode = (value: unknown): value is string =>
  typeof value === 'string' && CURRENCIES.has(value);

export const IsCurrencyCode = () =>
  applyDecorators(
    ValidateBy({
      name: 'isCurrencyCode',
      validator: {
        validate: isCurrencyCode,
        defaultMessage: () => '$property must be an active ISO 4217 currency code such as EUR',
      },
    }),
  );
