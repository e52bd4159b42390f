import type { Registry } from 'prom-client';

/** Sum of a metric's values over all label sets; 0 when it has none yet. */
export async function metricValue(relay: { registry: Registry }, name: string): Promise<number> {
  const metric = await relay.registry.getSingleMetric(name)?.get();
  return metric?.values.reduce((sum, { value }) => sum + value, 0) ?? 0;
}
