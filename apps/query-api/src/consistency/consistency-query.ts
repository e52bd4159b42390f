import { CursorParam, IntegerParam } from '../shared/query-rules';

export const CONSISTENCY_DESCRIPTION = `Read-your-writes: pass the \`globalPosition\` a command returned as \`minPosition\`.
The request then waits (at most QUERY_MAX_WAIT_MS, default 2000 ms, or \`maxWaitMs\` when smaller) until the
projection feeding the endpoint has reached that position: on every partition of its topics, either the last
applied event's global position is at least \`minPosition\`, or nothing is left to apply (the projection has
processed everything Kafka holds). It then answers as usual with the header \`X-Consistent-Position\`, a
position the answer is known to reflect (at least \`minPosition\`). If the position is not reached in time it
answers **503** \`application/problem+json\` with code \`STALE_READ\` and \`Retry-After\`, never stale data.
An event parked for retry by its projector does not hold the wait back; an event the outbox relay has not yet
published to Kafka is not waited for either (the relay normally publishes within milliseconds).`;

/** Parameters every GET accepts. */
export class ConsistencyQuery {
  @IntegerParam({
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    description:
      'The globalPosition a command returned: wait until the projection feeding this endpoint reflects it ' +
      '(503 STALE_READ when it does not within the wait; see the API description)',
    example: 1042,
  })
  minPosition?: number;

  @IntegerParam({
    min: 0,
    max: 30_000,
    description: 'Wait at most this long for minPosition (ms); capped by the server',
  })
  maxWaitMs?: number;
}

export const DEFAULT_PAGE_SIZE = 50;

export class PageQuery extends ConsistencyQuery {
  @IntegerParam({ min: 1, max: 100, description: `Page size (default ${DEFAULT_PAGE_SIZE})`, example: 50 })
  limit?: number;

  @CursorParam()
  cursor?: string;
}
