import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { LowerCaseUuid, StorableText } from '@ledger/http';
import { isDateTime } from './date-time';

// Rules for query and path parameters, so every endpoint refuses the same bad input the same way.

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Query values arrive as text. Only a plain decimal becomes a number; anything else (1.5, 1e3, '',
// a repeated parameter) stays as it came and fails the integer rule.
const toInteger = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;

export const IntegerParam = (options: { min: number; max: number; description: string; example?: number }) =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: options.min,
      maximum: options.max,
      description: options.description,
      example: options.example,
    }),
    IsOptional(),
    Transform(toInteger),
    IsInt({ message: '$property must be an integer' }),
    Min(options.min),
    Max(options.max),
  );

export const UuidParam = (options: { description: string; optional?: boolean }) =>
  applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({
      format: 'uuid',
      description: options.description,
    }),
    ...(options.optional ? [IsOptional()] : []),
    LowerCaseUuid(),
    IsString(),
    Matches(UUID_PATTERN, { message: '$property must be a UUID' }),
  );

export const DateTimeParam = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ format: 'date-time', description, example: '2025-01-31T00:00:00Z' }),
    IsOptional(),
    ValidateBy({
      name: 'isDateTime',
      validator: {
        validate: isDateTime,
        defaultMessage: () =>
          '$property must be an ISO-8601 date-time with an offset, e.g. 2025-01-31T00:00:00Z',
      },
    }),
  );

export const TextParam = (options: { max: number; description: string }) =>
  applyDecorators(
    ApiPropertyOptional({
      minLength: 1,
      maxLength: options.max,
      description: `${options.description}; no NUL characters or unpaired surrogates`,
    }),
    IsOptional(),
    IsString(),
    MinLength(1),
    MaxLength(options.max),
    StorableText(),
  );

export const OneOfParam = (values: readonly string[], description: string) =>
  applyDecorators(
    ApiPropertyOptional({ enum: values, description }),
    IsOptional(),
    IsIn(values, { message: `$property must be one of ${values.join(', ')}` }),
  );

export const CursorParam = () =>
  applyDecorators(
    ApiPropertyOptional({ description: 'The nextCursor of the previous page; opaque' }),
    IsOptional(),
    IsString(),
    Matches(/^[A-Za-z0-9_-]{1,512}$/, { message: '$property must be a nextCursor returned by this listing' }),
  );
