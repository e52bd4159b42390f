import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

// Field rules shared by the command bodies, so every endpoint refuses the same bad input the same way.

export const MinorUnits = (options: { min: number; description: string; optional?: boolean }) =>
  applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({
      type: 'integer',
      minimum: options.min,
      maximum: Number.MAX_SAFE_INTEGER,
      description: options.description,
      example: 2500,
    }),
    ...(options.optional ? [IsOptional()] : []),
    IsInt({ message: '$property must be an integer number of minor units' }),
    Min(options.min),
    Max(Number.MAX_SAFE_INTEGER),
  );

export const Currency = (optional = false) =>
  applyDecorators(
    (optional ? ApiPropertyOptional : ApiProperty)({
      description: 'ISO 4217 code',
      example: 'EUR',
      pattern: '^[A-Z]{3}$',
    }),
    ...(optional ? [IsOptional()] : []),
    IsString(),
    Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 code such as EUR' }),
  );

export const Text = (options: { max: number; optional?: boolean; description: string }) =>
  applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({ maxLength: options.max, description: options.description }),
    ...(options.optional ? [IsOptional()] : []),
    IsString(),
    MinLength(1),
    MaxLength(options.max),
  );
