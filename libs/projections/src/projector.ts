import type { Consumer, ConsumerConfig, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import type { DecodedEvent } from './event';
import { silentLogger, type BackoffOptions, type RuntimeLogger } from '@ledger/runtime';
import { mainBatchHandler, type HandlerDependencies } from './main-consumer';
import { noMetrics, prometheusProjectionMetrics, type ProjectionMetrics } from './metrics';
import { defaultRetryPolicy, validateRetryPolicy, type RetryPolicy } from './policy';
import type { DecodeRecord, EventConsumer } from './projection';
import { countParkedStreams } from './parked-streams';
import { publishParkedHeads } from './publisher';
import { retryBatchHandler } from './retry-consumer';
import { missingProjectionTopics, retryGroup, retryTopics } from './topics';

export interface ProjectorOptions<E extends DecodedEvent> {
  kafka: Kafka;
  /** The read model's database; it also holds the runtime's tables (`ensureProjectionSchema`). */
  pool: Pool;
  /** A projection or a reactor (named `projection` for the runtime's logs and metrics). */
  projection: EventConsumer<E>;
  decode: DecodeRecord<E>;
  /** Default: 3 levels, 1 s / 10 s / 60 s, 3 attempts per event. Topics must exist (`ensureProjectionTopics`). */
  retry?: Partial<RetryPolicy>;
  /** Backoff of blocked (transient) retries. Default 100 ms doubling up to 30 s, full jitter. */
  backoff?: BackoffOptions;
  /** Records per transaction: the bound of in-flight work per partition. Default 500. */
  maxBatchSize?: number;
  /** Partitions of the projection's topics processed at once. Default 1. */
  partitionsConsumedConcurrently?: number;
  /** Retry-topic partitions processed (and waited on) at once. Default 8. */
  retryConcurrency?: number;
  /** Passed to both consumers (session timeout, heartbeat interval, fetch sizes); group ids are fixed. */
  consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
  /** How often heads left unpublished by a crash are looked for. Default 30 s. */
  sweepIntervalMs?: number;
  logger?: RuntimeLogger;
  /** Custom metrics; otherwise Prometheus metrics on `registry` when given, else none. */
  metrics?: ProjectionMetrics;
  registry?: Registry;
}

export interface ProjectorHandle {
  readonly name: string;
  /** Stops consuming after the current transaction; uncommitted records are redelivered later. */
  stop(): Promise<void>;
}

/** Full jitter: many consumers blocked on one cause spread their retries out the most. */
export const DEFAULT_PROJECTION_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 30_000, jitter: 'full' };

/**
 * Runs a projection: consumer group `projection.name` on its topics and `<name>.retry` on its retry topics,
 * applying events effectively once (see README). Resolves when both consumers are running.
 */
export async function startProjector<E extends DecodedEvent>(
  options: ProjectorOptions<E>,
): Promise<ProjectorHandle> {
  const { kafka, pool, projection } = options;
  const name = projection.name;
  const policy = validateRetryPolicy({ ...defaultRetryPolicy, ...options.retry });
  const logger = options.logger ?? silentLogger;
  const abort = new AbortController();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const metrics =
    options.metrics ?? (options.registry ? prometheusProjectionMetrics(options.registry) : noMetrics);
  metrics.parkedStreams(name, () => countParkedStreams(pool, name));
  const deps: HandlerDependencies<E> = {
    runtime: { pool, projection, decode: options.decode, policy },
    producer,
    signal: abort.signal,
    logger,
    metrics,
    backoff: options.backoff ?? DEFAULT_PROJECTION_BACKOFF,
    maxBatchSize: options.maxBatchSize ?? 500,
    heartbeatEveryMs: 1000,
  };
  const consumers: Consumer[] = [];
  const consumer = (groupId: string) => {
    // read_committed, set explicitly: records of a relay transaction that aborted are never projected (ADR 0019).
    const created = kafka.consumer({ ...options.consumerConfig, groupId, readUncommitted: false });
    created.on(created.events.CRASH, ({ payload }) =>
      logger.error(
        { projection: name, groupId, error: payload.error.message, restart: payload.restart },
        'consumer crashed',
      ),
    );
    // Membership as this process sees it: the alert on a group without members sums it over every pod.
    created.on(created.events.GROUP_JOIN, () => metrics.membership(name, groupId, true));
    for (const left of [
      created.events.CRASH,
      created.events.STOP,
      created.events.DISCONNECT,
      created.events.REBALANCING,
    ]) {
      created.on(left, () => metrics.membership(name, groupId, false));
    }
    consumers.push(created);
    return created;
  };
  const timers: { sweeper?: NodeJS.Timeout } = {};

  const stop = async () => {
    abort.abort();
    clearInterval(timers.sweeper);
    await Promise.allSettled(consumers.map((each) => each.disconnect()));
    await producer.disconnect();
  };

  try {
    const missing = await missingProjectionTopics(kafka, name, policy.levels);
    if (missing.length > 0) {
      throw new Error(`missing topics ${missing.join(', ')}: create them with ensureProjectionTopics`);
    }
    await producer.connect();
    await publishParkedHeads(pool, producer, name);
    const main = consumer(name);
    await main.connect();
    await main.subscribe({ topics: projection.topics, fromBeginning: true });
    await main.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      eachBatch: mainBatchHandler(deps),
    });
    const retry = consumer(retryGroup(name));
    await retry.connect();
    await retry.subscribe({ topics: retryTopics(name, policy.levels), fromBeginning: true });
    await retry.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.retryConcurrency ?? 8,
      eachBatch: retryBatchHandler(deps),
    });
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }

  timers.sweeper = startSweeper(
    options.sweepIntervalMs ?? 30_000,
    async () => {
      const sent = await publishParkedHeads(pool, producer, name, {
        olderThanMs: options.sweepIntervalMs ?? 30_000,
      });
      if (sent > 0)
        logger.warn({ projection: name, sent }, 'published parked heads left behind by an earlier failure');
    },
    (error) =>
      logger.error({ projection: name, error: (error as Error).message }, 'sweep of parked heads failed'),
  );

  let stopping: Promise<void> | undefined;
  logger.info({ projection: name, topics: projection.topics, retry: policy }, 'projector started');
  return { name, stop: () => (stopping ??= stop()) };
}

function startSweeper(
  everyMs: number,
  sweep: () => Promise<void>,
  onError: (error: unknown) => void,
): NodeJS.Timeout {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep()
      .catch(onError)
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return timer;
}
