import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem';

class ProblemFieldError {
  @ApiProperty({ type: String }) field!: string;
  @ApiProperty({ type: String }) message!: string;
}

/** The OpenAPI shape of every error answer (RFC 9457 problem details). */
export class ProblemBody {
  @ApiProperty({ type: String, example: 'urn:ledger:problem:validation-failed' }) type!: string;
  @ApiProperty({ type: String }) title!: string;
  @ApiProperty({ type: 'integer' }) status!: number;
  @ApiPropertyOptional({ type: String }) detail?: string;
  @ApiPropertyOptional({ type: String }) instance?: string;
  @ApiPropertyOptional({ type: String, description: 'Stable machine-readable code, e.g. VALIDATION_FAILED' })
  code?: string;
  @ApiPropertyOptional({ type: String, description: 'The request correlation id (also in X-Correlation-Id)' })
  correlationId?: string;
  @ApiPropertyOptional({ type: [ProblemFieldError], maxItems: 20 }) errors?: ProblemFieldError[];
  @ApiPropertyOptional({ type: 'integer', description: 'Field errors not listed beyond the first 20' })
  errorsOmitted?: number;
}

/** Documents each status a route can refuse with, as application/problem+json. */
export const ApiProblems = (responses: Record<number, string>) =>
  applyDecorators(
    ApiExtraModels(ProblemBody),
    ...Object.entries(responses).map(([status, description]) =>
      ApiResponse({
        status: Number(status),
        description,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemBody) } } },
      }),
    ),
  );

/** Statuses the edge itself can answer on any route. */
export const EDGE_PROBLEMS = {
  429: 'RATE_LIMITED: too many requests from this client (Retry-After says when to retry)',
  500: 'An unexpected failure, logged with the correlation id',
} as const;

/** Statuses the edge can answer on any route that takes a body. */
export const BODY_PROBLEMS = {
  413: 'BODY_TOO_LARGE: the body (or its declared Content-Length) exceeds HTTP_BODY_LIMIT',
  415: 'UNSUPPORTED_MEDIA_TYPE: a body that is not application/json',
} as const;

/** A UUID path parameter, in any case (answers use lower case). */
export const ApiUuidParam = (name: string, description: string) =>
  ApiParam({ name, description, schema: { type: 'string', format: 'uuid' } });
