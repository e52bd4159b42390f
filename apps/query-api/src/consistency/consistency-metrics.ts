import { Histogram, type Registry } from 'prom-client';

/** How long reads with `minPosition` waited, by feed and outcome (`reached` or `stale`). */
export function consistencyWaitMetrics(registry: Registry): Histogram<'feed' | 'outcome'> {
  return new Histogram({
    name: 'ledger_query_consistency_wait_seconds',
    help: 'Time requests with minPosition waited for the projections, by outcome (reached or stale)',
    labelNames: ['feed', 'outcome'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [registry],
  });
}
