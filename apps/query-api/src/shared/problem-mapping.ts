import { Problem, problem } from '@ledger/http';
import { LogEndUnavailableError } from '../consistency/progress';
import { StaleReadError } from '../consistency/stale-read';
import { NotFoundError } from './not-found';

/** The one place where the query API's own failures become HTTP problems. */
export function mapQueryError(error: unknown): Problem | undefined {
  if (error instanceof NotFoundError) return problem(404, { code: error.code, detail: error.message });
  if (error instanceof StaleReadError) {
    return problem(503, {
      code: 'STALE_READ',
      detail: error.message,
      minPosition: error.minPosition,
      consistentPosition: error.consistentPosition,
      waitedMs: error.waitedMs,
      lagging: error.lagging,
      relayPublished: error.relayPublished,
    });
  }
  if (error instanceof LogEndUnavailableError) {
    return problem(503, {
      code: 'CONSISTENCY_UNKNOWN',
      detail: 'Kafka did not report where the projections stand; retry, or read without minPosition',
    });
  }
  return undefined;
}
