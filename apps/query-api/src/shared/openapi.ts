import { applyDecorators, Type } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiProblems, EDGE_PROBLEMS } from '@ledger/http';

/** OpenAPI of a read that honours minPosition: its answer, its consistency header and its refusals. */
export const ConsistentRead = (type: Type<unknown>, description?: string, notFound?: string) =>
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
    ApiProblems({
      400:
        'VALIDATION_FAILED: invalid or unknown parameters (listed); MIN_POSITION_AHEAD: minPosition is past ' +
        "the store's head (headPosition says where it is)",
      ...(notFound ? { 404: notFound } : ({} as Record<number, string>)),
      ...EDGE_PROBLEMS,
      503:
        'STALE_READ: minPosition not reached within the wait (Retry-After set; consistentPosition says what ' +
        'the answer would reflect); CONSISTENCY_UNKNOWN: Kafka unreachable',
    }),
  );

/** The server's real cap on maxWaitMs (QUERY_MAX_WAIT_MS), written into the served document. */
export function documentMaxWait(
  document: { paths: Record<string, Record<string, { parameters?: unknown[] }>> },
  maxWaitMs: number,
): void {
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations)) {
      for (const parameter of (operation.parameters ?? []) as Array<{
        name?: string;
        schema?: { maximum?: number };
      }>) {
        if (parameter.name === 'maxWaitMs' && parameter.schema) parameter.schema.maximum = maxWaitMs;
      }
    }
  }
}
