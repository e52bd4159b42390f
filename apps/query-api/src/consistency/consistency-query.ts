import { CursorParam, IntegerParam } from '../shared/query-rules';

export const CONSISTENCY_DESCRIPTION = `Read-your-writes: pass the \`globalPosition\` a command returned as \`minPosition\`.
The request then waits (at most QUERY_MAX_WAIT_MS, default 2000 ms, or \`maxWaitMs\` when smaller) until
1. the outbox relay has published the event at that position to Kafka (its checkpoint in the event store is at
   or past the event), and
2. the projection feeding the endpoint has caught up with it: on every partition of its topics, either the last
   applied event's global position is at least \`minPosition\`, or nothing is left to apply (the projection has
   processed everything Kafka held when the request arrived and the event was published).

It then answers as usual with the header \`X-Consistent-Position\`, a position the answer is known to reflect
(at least \`minPosition\`). If that is not reached in time it answers **503** \`application/problem+json\` with
code \`STALE_READ\` and \`Retry-After\`, never stale data (\`relayPublished\` and \`lagging\` say what held it
back). An event a projector parked for retry does not hold the wait back. With QUERY_WAIT_FOR_RELAY=false
(no access to the event store) step 1 is skipped, and an event the relay has not yet published is not waited for.`;

/** Parameters every GET accepts. */
export class ConsistencyQuery {
  @IntegerParam({
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    description:
      'The globalPosition a command returned: wait until the projection feeding this endpoint reflects it ' +
      "(503 STALE_READ when it does not within the wait; 400 MIN_POSITION_AHEAD past the store's head; see the API description)",
    example: 1042,
  })
  minPosition?: number;

  @IntegerParam({
    min: 0,
    max: 30_000,
    description:
      "Wait at most this long for minPosition (ms); the maximum is the server's QUERY_MAX_WAIT_MS (default 2000), " +
      'a larger value is refused with 400',
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
