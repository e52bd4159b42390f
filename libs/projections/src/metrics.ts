import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

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
  /** One committed chunk: records in it and seconds from its start to its commit. */
  batch(projection: string, size: number, seconds: number): void;
  /** A consumer joined its group (`true`) or left it, crashed or stopped (`false`). */
  membership(projection: string, group: string, joined: boolean): void;
  /** How to count the projection's parked streams by stage when metrics are collected. */
  parkedStreams(projection: string, count: () => Promise<ParkedStreamCounts>): void;
}

export interface ParkedStreamCounts {
  retry: number;
  deadLetter: number;
}

export const noMetrics: ProjectionMetrics = {
  applied: () => undefined,
  skipped: () => undefined,
  parked: () => undefined,
  retryScheduled: () => undefined,
  deadLettered: () => undefined,
  blockedRetry: () => undefined,
  progress: () => undefined,
  batch: () => undefined,
  membership: () => undefined,
  parkedStreams: () => undefined,
};

/** Chunk sizes up to the default maximum of 500 records per transaction. */
const BATCH_SIZE_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000];
const BATCH_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

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

  const batchSize = new Histogram({
    name: 'projection_batch_size',
    help: 'Records per committed chunk (one read-model transaction).',
    labelNames: ['projection'],
    buckets: BATCH_SIZE_BUCKETS,
    registers,
  });
  const batchSeconds = new Histogram({
    name: 'projection_batch_duration_seconds',
    help: 'Time from the start of a chunk to its commit, retries of a blocked chunk included.',
    labelNames: ['projection'],
    buckets: BATCH_SECONDS_BUCKETS,
    registers,
  });
  const members = new Gauge({
    name: 'projection_consumer_group_member',
    help: '1 while this process has a consumer that joined the group, 0 after it left, crashed or stopped.',
    labelNames: ['projection', 'group'],
    registers,
  });
  const parkedCounters = new Map<string, () => Promise<ParkedStreamCounts>>();
  new Gauge({
    name: 'projection_parked_streams',
    help: 'Streams waiting behind a failed event, by stage (retry or dead-letter), read from Postgres at scrape time.',
    labelNames: ['projection', 'stage'],
    registers,
    async collect() {
      for (const [projection, count] of parkedCounters) {
        // An unreachable database must not fail the whole scrape: the series keep their last value.
        const counts = await count().catch(() => undefined);
        if (!counts) continue;
        this.set({ projection, stage: 'retry' }, counts.retry);
        this.set({ projection, stage: 'dead-letter' }, counts.deadLetter);
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
    batch: (projection, size, seconds) => {
      batchSize.observe({ projection }, size);
      batchSeconds.observe({ projection }, seconds);
    },
    membership: (projection, group, joined) => members.set({ projection, group }, joined ? 1 : 0),
    parkedStreams: (projection, count) => void parkedCounters.set(projection, count),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
