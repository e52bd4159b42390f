import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * How often the event-loop lag histogram samples (prom-client's default is 10 ms). Each sample is a
 * timer wake-up of the process: at 10 ms an otherwise idle app spent about 3.7 ms of CPU per second on
 * it alone (`bench/idle/event-loop-monitor.ts`), over a third of each app's cost at rest. At 100 ms a
 * stall still shows in the lag percentiles the dashboard plots; only stalls shorter than the interval
 * may fall between two samples.
 */
export const EVENT_LOOP_MONITORING_PRECISION_MS = 100;

/** One registry per process, with Node's default metrics and the ledger's own. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({
    register: registry,
    eventLoopMonitoringPrecision: EVENT_LOOP_MONITORING_PRECISION_MS,
  });
  return registry;
}

export function commandMetrics(registry: Registry) {
  return {
    latency: new Histogram({
      name: 'ledger_command_duration_seconds',
      help: 'Time from a command request to its append (or refusal)',
      labelNames: ['command', 'outcome'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    conflicts: new Counter({
      name: 'ledger_command_conflicts_total',
      help: 'Optimistic concurrency conflicts, retried or returned',
      labelNames: ['command'] as const,
      registers: [registry],
    }),
  };
}

export function relayMetrics(registry: Registry) {
  return {
    published: new Counter({
      name: 'ledger_relay_events_published_total',
      help: 'Events acknowledged by Kafka',
      labelNames: ['topic'] as const,
      registers: [registry],
    }),
    lagEvents: new Gauge({
      name: 'ledger_relay_lag_events',
      help: 'Events appended but not yet acknowledged by Kafka',
      registers: [registry],
    }),
    lagSeconds: new Gauge({
      name: 'ledger_relay_lag_seconds',
      help: 'Age of the oldest event not yet acknowledged by Kafka',
      registers: [registry],
    }),
    isLeader: new Gauge({
      name: 'ledger_relay_leader',
      help: '1 while this instance holds the relay lock',
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'ledger_relay_batch_size',
      help: 'Events per store batch published with one sendBatch',
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
      registers: [registry],
    }),
    batchDuration: new Histogram({
      name: 'ledger_relay_batch_duration_seconds',
      help: 'Time from reading a batch (encoding included) to its checkpoint after Kafka acknowledged it',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}
