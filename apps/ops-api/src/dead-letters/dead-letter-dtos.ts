import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Equals,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

// Projection names are consumer-group names: letters, digits and . _ - (with a deployment's topic prefix).
const PROJECTION_NAME = /^[A-Za-z0-9._-]{1,200}$/;

export class ProjectionParam {
  @ApiProperty({ example: 'ledger.projector.accounts', description: 'The projection (its consumer group)' })
  @IsString()
  @Matches(PROJECTION_NAME, { message: 'projection must be 1-200 characters of A-Z a-z 0-9 . _ -' })
  projection!: string;
}

export class ListDeadLettersQuery extends ProjectionParam {
  @ApiPropertyOptional({ description: "Only this stream's dead letters", example: 'account-0b5f…' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  stream?: string;

  @ApiPropertyOptional({
    enum: ['dead', 'all'],
    default: 'dead',
    description: 'all: also redriven and discarded ones',
  })
  @IsOptional()
  @IsIn(['dead', 'all'])
  status?: 'dead' | 'all';

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class DeadLetterIdParam {
  @ApiProperty({ description: 'The dead letter id (from the list)', example: '17' })
  @Matches(/^[1-9][0-9]{0,17}$/, { message: 'id must be a positive integer' })
  id!: string;
}

/** One stream (`streamId`) or every dead-lettered stream of the projection (`all: true`). */
export class DeadLetterSelection extends ProjectionParam {
  @ApiPropertyOptional({ description: 'The stream whose dead-lettered head is acted on' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  streamId?: string;

  @ApiPropertyOptional({ description: 'Every dead-lettered stream of the projection (instead of streamId)' })
  @IsOptional()
  @Equals(true, { message: 'all must be true when given' })
  all?: true;
}

class Source {
  @ApiProperty() topic!: string;
  @ApiProperty({ type: 'integer' }) partition!: number;
  @ApiProperty() offset!: string;
}

export class DeadLetterSummary {
  @ApiProperty() id!: string;
  @ApiProperty() projection!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty({ type: 'integer', nullable: true }) streamVersion!: number | null;
  @ApiProperty({ nullable: true, type: String }) eventId!: string | null;
  @ApiProperty({ nullable: true, type: String }) eventType!: string | null;
  @ApiProperty({ type: Source }) source!: Source;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty({ format: 'date-time' }) firstFailedAt!: string;
  @ApiProperty({ format: 'date-time' }) deadLetteredAt!: string;
  @ApiProperty() errorClass!: string;
  @ApiProperty() errorMessage!: string;
  @ApiProperty({ enum: ['dead', 'redriven', 'discarded'] }) status!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt!: string | null;
  @ApiProperty({ type: 'integer', description: 'Events of the same stream waiting behind this one' })
  parkedBehind!: number;
}

export class DeadLetterList {
  @ApiProperty({ type: [DeadLetterSummary] }) items!: DeadLetterSummary[];
}

export class DecodedEventView {
  @ApiProperty({ example: 'ledger.accounts.MoneyDeposited' }) type!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The Avro payload as JSON' })
  data!: unknown;
}

export class DeadLetterDetail extends DeadLetterSummary {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'The Kafka record headers',
  })
  headers!: Record<string, string>;
  @ApiProperty({
    nullable: true,
    type: DecodedEventView,
    description: 'null when the record cannot be decoded',
  })
  event!: DecodedEventView | null;
  @ApiPropertyOptional({ description: 'Why the record could not be decoded' }) decodeError?: string;
}

export class RedriveResult {
  @ApiProperty({ type: [String], description: 'The streams whose head went back to the first retry topic' })
  streams!: string[];
}

export class DiscardResult {
  @ApiProperty({ type: [String], description: 'The streams whose dead-lettered head was dropped' })
  streams!: string[];
  @ApiProperty({
    type: [String],
    description: 'Of those, the streams released (nothing waited behind the head)',
  })
  released!: string[];
}
