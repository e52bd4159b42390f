import { Counter, Gauge, type Registry } from 'prom-client';

/** What the runtime reports; implement it to feed another metrics system. */
export interface ProjectionMetrics {
  applied(projection: string, topic: string, partition: number, count: number): void;
  /** Redelivered events at or below their stream's checkpoint. */
  skipped(projection: string, count: number): void;
  /** Events put in (or kept in) a parking queue. */
  parked(projection: string, count: number): void;
  /** A parked stream's head scheduled on retry topic `level`. */
  retryScheduled(projection: string, level: number): void;
  deadLettered(projection: string): void;
  /** A transaction or publication failed and will be retried after a backoff. */
  blockedRetry(projection: string): void;
  /** After each chunk: records left behind the chunk and when its last applied event was recorded. */
  progress(
    projection: string,
    topic: string,
    partition: number,
    lagEvents: number,
    lastRecordedAt?: string,
  ): void;
}

export const noMetrics: ProjectionMetrics = {
  applied: () => undefined,
  skipped: () => undefined,
  parked: () => undefined,
  retryScheduled: () => undefined,
  deadLettered: () => undefined,
  blockedRetry: () => undefined,
  progress: () => undefined,
};

const byRegistry = new WeakMap<Registry, ProjectionMetrics>();

/**
 * Prometheus metrics for every projector in a process, labelled by projection (one instance per registry).
 * `projection_lag_seconds` is the age of the last applied event while events are waiting, else 0.
 */
export function prometheusProjectionMetrics(registry: Registry): ProjectionMetrics {
  const known = byRegistry.get(registry);
  if (known) return known;
  const registers = [registry];
  const applied = new Counter({
    name: 'projection_events_applied_total',
    help: 'Events applied to read models.',
    labelNames: ['projection', 'topic', 'partition'],
    registers,
  });
  const counter = (name: string, help: string, labelNames: string[] = ['projection']) =>
    new Counter({ name, help, labelNames, registers });
  const skipped = counter('projection_events_skipped_total', 'Redelivered events skipped by checkpoint.');
  const parked = counter(
    'projection_events_parked_total',
    'Events parked behind a failed event of their stream.',
  );
  const retries = counter('projection_retries_total', 'Failed events scheduled on a retry topic.', [
    'projection',
    'level',
  ]);
  const deadLetters = counter('projection_dead_letters_total', 'Events sent to the dead-letter topic.');
  const blocked = counter(
    'projection_blocked_retries_total',
    'Transactions or publications retried after a failure.',
  );
  const lagEvents = new Gauge({
    name: 'projection_lag_events',
    help: 'Records of the partition not yet processed.',
    labelNames: ['projection', 'topic', 'partition'],
    registers,
  });
  const progress = new Map<string, { labels: Record<string, string>; lag: number; recordedAt?: number }>();
  new Gauge({
    name: 'projection_lag_seconds',
    help: 'Age of the last applied event while records are waiting, 0 when caught up.',
    labelNames: ['projection', 'topic', 'partition'],
    registers,
    collect() {
      for (const { labels, lag, recordedAt } of progress.values()) {
        const seconds =
          lag > 0 && recordedAt !== undefined ? Math.max(0, (Date.now() - recordedAt) / 1000) : 0;
        this.set(labels, seconds);
      }
    },
  });

  const metrics: ProjectionMetrics = {
    applied: (projection, topic, partition, count) => applied.inc({ projection, topic, partition }, count),
    skipped: (projection, count) => skipped.inc({ projection }, count),
    parked: (projection, count) => parked.inc({ projection }, count),
    retryScheduled: (projection, level) => retries.inc({ projection, level }),
    deadLettered: (projection) => deadLetters.inc({ projection }),
    blockedRetry: (projection) => blocked.inc({ projection }),
    progress: (projection, topic, partition, lag, lastRecordedAt) => {
      const labels = { projection, topic, partition: String(partition) };
      lagEvents.set(labels, lag);
      const key = `${projection}\u0000${topic}\u0000${partition}`;
      const previous = progress.get(key);
      const recordedAt = lastRecordedAt ? Date.parse(lastRecordedAt) : previous?.recordedAt;
      progress.set(key, { labels, lag, recordedAt });
    },
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
