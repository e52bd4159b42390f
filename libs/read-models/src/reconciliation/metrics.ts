import { Counter, Gauge, type Registry } from 'prom-client';

export interface ReconciliationMetrics {
  driftStreams: Gauge<'projection'>;
  lastFullPass: Gauge<'projection'>;
  checked: Counter<'projection'>;
}

const byRegistry = new WeakMap<Registry, ReconciliationMetrics>();

/** The reconciliation metrics of a process, one set per registry, labelled by projection. */
export function reconciliationMetrics(registry: Registry): ReconciliationMetrics {
  const known = byRegistry.get(registry);
  if (known) return known;
  const registers = [registry];
  const metrics: ReconciliationMetrics = {
    driftStreams: new Gauge({
      name: 'ledger_projection_reconciliation_drift_streams',
      help: 'Streams whose read model differs from the store in two consecutive checks.',
      labelNames: ['projection'],
      registers,
    }),
    lastFullPass: new Gauge({
      name: 'ledger_projection_reconciliation_last_full_pass_timestamp_seconds',
      help: 'When the last full pass over every stream of the projection ended (Unix seconds).',
      labelNames: ['projection'],
      registers,
    }),
    checked: new Counter({
      name: 'ledger_projection_reconciliation_streams_checked_total',
      help: 'Streams compared with the store (incremental, full pass and re-checks).',
      labelNames: ['projection'],
      registers,
    }),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
