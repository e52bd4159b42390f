import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_MINOR_UNITS } from '@ledger/domain';
import { CURRENCY_CODES, IsCurrencyCode, LowerCaseUuid, StorableText } from '@ledger/http';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';

// Field rules shared by the command bodies, so every endpoint refuses the same bad input the same way.

export const MinorUnits = (options: { min: number; description: string; optional?: boolean }) =>
  applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({
      type: 'integer',
      minimum: options.min,
      maximum: MAX_MINOR_UNITS,
      description: `${options.description}; at most ${MAX_MINOR_UNITS} (the ledger's largest amount)`,
      example: 2500,
    }),
    ...(options.optional ? [IsOptional()] : []),
    IsInt({ message: '$property must be an integer number of minor units' }),
    Min(options.min),
    Max(MAX_MINOR_UNITS),
  );

export const Currency = (optional = false) =>
  applyDecorators(
    (optional ? ApiPropertyOptional : ApiProperty)({
      description: 'Active ISO 4217 code (not XXX, XTS, metals or fund units)',
      example: 'EUR',
      enum: CURRENCY_CODES,
    }),
    ...(optional ? [IsOptional()] : []),
    IsString(),
    IsCurrencyCode(),
  );

export const Text = (options: { max: number; optional?: boolean; description: string }) =>
  applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({
      minLength: 1,
      maxLength: options.max,
      description: `${options.description}; no NUL characters or unpaired surrogates`,
    }),
    ...(options.optional ? [IsOptional()] : []),
    IsString(),
    MinLength(1),
    MaxLength(options.max),
    StorableText(),
  );

/** An account id in a body: a UUID in any case, compared and stored in lower case. */
export const AccountId = (description: string) =>
  applyDecorators(ApiProperty({ format: 'uuid', description }), LowerCaseUuid(), IsUUID());
