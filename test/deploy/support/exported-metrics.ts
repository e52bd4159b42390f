import { commandMetrics, createMetricsRegistry, relayMetrics } from '@ledger/observability';
import { prometheusProjectionMetrics, readModelFreshnessMetrics } from '@ledger/projections';
import { reconciliationMetrics } from '@ledger/read-models';
import type { Registry } from 'prom-client';
import { consistencyWaitMetrics } from '../../../apps/query-api/src/consistency/consistency-metrics';

/** A series name Prometheus can select, and the labels it carries. */
export type ExportedMetrics = Map<string, Set<string>>;

/**
 * What each app's registry exports, built with the same factories the apps call (so a renamed metric
 * shows up here at once): the default Node metrics, the command service's, the relay's, every projector's
 * and the query API's.
 */
export async function exportedMetrics(): Promise<ExportedMetrics> {
  const registries: Record<string, (registry: Registry) => void> = {
    'command-service': (registry) => void commandMetrics(registry),
    'event-relay': (registry) => void relayMetrics(registry),
    'projector-accounts': (registry) => {
      prometheusProjectionMetrics(registry);
      reconciliationMetrics(registry);
    },
    'query-api': (registry) => {
      consistencyWaitMetrics(registry);
      readModelFreshnessMetrics(registry, {});
    },
  };
  const exported: ExportedMetrics = new Map();
  for (const [service, register] of Object.entries(registries)) {
    const registry = createMetricsRegistry(service);
    register(registry);
    for (const { name, type: metricType } of await registry.getMetricsAsJSON()) {
      const type = String(metricType);
      const metric = registry.getSingleMetric(name) as unknown as { labelNames?: string[] };
      const labels = new Set<string>(['service', ...(metric.labelNames ?? [])]);
      const names =
        type === 'histogram'
          ? [`${name}_bucket`, `${name}_sum`, `${name}_count`]
          : type === 'summary'
            ? [name, `${name}_sum`, `${name}_count`]
            : [name];
      for (const series of names) {
        const known = exported.get(series) ?? new Set<string>();
        for (const label of labels) known.add(label);
        if (type === 'histogram' && series.endsWith('_bucket')) known.add('le');
        if (type === 'summary' && series === name) known.add('quantile');
        exported.set(series, known);
      }
    }
    registry.clear();
  }
  return exported;
}
