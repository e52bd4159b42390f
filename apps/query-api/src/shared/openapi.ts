import { applyDecorators, Type } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';

/** OpenAPI of a read that honours minPosition: its answer, its consistency header and its refusals. */
export const ConsistentRead = (type: Type<unknown>, description?: string) =>
  applyDecorators(
    ApiOkResponse({
      type,
      description,
      headers: {
        'X-Consistent-Position': {
          description:
            'Present when minPosition was given: a global position the answer reflects (>= minPosition)',
          schema: { type: 'integer' },
        },
      },
    }),
    ApiBadRequestResponse({ description: 'Invalid or unknown parameters (problem+json listing the fields)' }),
    ApiServiceUnavailableResponse({
      description:
        'STALE_READ: minPosition not reached within the wait (Retry-After set); CONSISTENCY_UNKNOWN: Kafka unreachable',
    }),
  );
