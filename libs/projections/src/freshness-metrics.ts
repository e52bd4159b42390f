import { Gauge, type Registry } from 'prom-client';
import type { ProjectionStatus } from './status';

/** Reads a projection's status (Kafka offsets beside Postgres positions) at scrape time. */
export type StatusReader = () => Promise<ProjectionStatus>;

/**
 * Freshness of each read model as seen from outside its projector: a stopped or stuck projector reports
 * nothing, so the query API, which serves the read models, measures them at scrape time. The SLO alerts
 * (k8s/monitoring) read these series.
 */
export function readModelFreshnessMetrics(
  registry: Registry,
  readers: Record<string, StatusReader>,
): { lagSeconds: Gauge; unappliedEvents: Gauge } {
  const registers = [registry];
  const statuses = async () =>
    Promise.all(
      Object.entries(readers).map(async ([projection, read]) => ({
        projection,
        // Kafka or Postgres down: no sample for that projection rather than a failed scrape.
        status: await read().catch(() => undefined),
      })),
    );
  let pending: ReturnType<typeof statuses> | undefined;
  // Both gauges are collected in one scrape: one status read serves them.
  const shared = () => {
    pending ??= statuses().finally(() => setImmediate(() => (pending = undefined)));
    return pending;
  };
  const lagSeconds = new Gauge({
    name: 'ledger_read_model_lag_seconds',
    help: 'Age of the last applied event while records wait on any partition; 0 when caught up.',
    labelNames: ['projection'],
    registers,
    async collect() {
      for (const { projection, status } of await shared()) {
        if (!status) continue;
        const seconds = status.partitions.map((partition) => partition.lagSeconds ?? 0);
        this.set({ projection }, Math.max(0, ...seconds));
      }
    },
  });
  const unappliedEvents = new Gauge({
    name: 'ledger_read_model_unapplied_events',
    help: 'Records on the projection topics not applied to the read model yet.',
    labelNames: ['projection'],
    registers,
    async collect() {
      for (const { projection, status } of await shared()) {
        if (!status) continue;
        this.set(
          { projection },
          status.partitions.reduce((sum, partition) => sum + partition.unappliedEvents, 0),
        );
      }
    },
  });
  return { lagSeconds, unappliedEvents };
}
