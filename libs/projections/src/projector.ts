import type { Consumer, ConsumerConfig, EachBatchHandler, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import type { DecodedEvent } from './event';
import { silentLogger, type BackoffOptions, type RuntimeLogger } from '@ledger/runtime';
import type { HandlerDependencies } from './consumer-context';
import { mainBatchHandler } from './main-consumer';
import { noMetrics, prometheusProjectionMetrics, type ProjectionMetrics } from './metrics';
import { OffsetCommits } from './offset-commits';
import { PendingPositions } from './pending-positions';
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
  /**
   * Partitions of the projection's topics processed at once, each in its own transaction (and pool
   * connection). Records of one partition stay in order, and a stream's records share a partition (the
   * key), so each aggregate's events still apply in order. Default 6, the topics' partition count.
   */
  partitionsConsumedConcurrently?: number;
  /**
   * Kafka offset commits of the main consumer at most this often (ms); 0 commits after every chunk.
   * Records read again after a restart or a rebalance are skipped by their checkpoints, so a later commit
   * only costs re-reading. Also how soon the position of a chunk of ignored records is written. Default 1000.
   */
  offsetCommitIntervalMs?: number;
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

/** How often the main consumer commits its offsets unless configured (see `offsetCommitIntervalMs`). */
export const DEFAULT_OFFSET_COMMIT_INTERVAL_MS = 1000;

/** Partitions of the main topics processed at once unless configured (the topics' default partition count). */
export const DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY = 6;

/**
 * The retry consumer idles almost always and its records wait seconds by design: it long-polls longer
 * than the main consumer (a fetch still returns as soon as a record arrives) and heartbeats less often.
 * `consumerConfig` overrides it.
 */
const RETRY_CONSUMER_CONFIG: Omit<ConsumerConfig, 'groupId'> = {
  maxWaitTimeInMs: 10_000,
  heartbeatInterval: 5_000,
};

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
  const lazyMs = options.offsetCommitIntervalMs ?? DEFAULT_OFFSET_COMMIT_INTERVAL_MS;
  const lateCommitFailed = (error: unknown) =>
    logger.warn({ projection: name, error: (error as Error).message }, 'deferred offset commit failed');
  const mainCommits = new OffsetCommits(lazyMs, lateCommitFailed);
  const positions = new PendingPositions(pool, name, lazyMs, (error) =>
    logger.warn({ projection: name, error: (error as Error).message }, 'deferred position write failed'),
  );
  const deps: HandlerDependencies<E> = {
    runtime: { pool, projection, decode: options.decode, policy },
    producer,
    signal: abort.signal,
    logger,
    metrics,
    backoff: options.backoff ?? DEFAULT_PROJECTION_BACKOFF,
    maxBatchSize: options.maxBatchSize ?? 500,
    heartbeatEveryMs: 1000,
    commits: mainCommits,
    positions,
  };
  const consumers: Consumer[] = [];
  const consumer = (groupId: string, config: Omit<ConsumerConfig, 'groupId'>) => {
    // read_committed, set explicitly: records of a relay transaction that aborted are never projected (ADR 0019).
    const created = kafka.consumer({ ...config, groupId, readUncommitted: false });
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
  // Both groups run the same way: offsets are resolved and committed by the handlers, after Postgres.
  const runGroup = async (
    groupId: string,
    topics: string[],
    concurrency: number,
    eachBatch: EachBatchHandler,
    config: Omit<ConsumerConfig, 'groupId'> = {},
  ) => {
    const created = consumer(groupId, { ...config, ...options.consumerConfig });
    await created.connect();
    await created.subscribe({ topics, fromBeginning: true });
    await created.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: concurrency,
      eachBatch,
    });
  };
  const timers: { sweeper?: NodeJS.Timeout } = {};

  const stop = async () => {
    abort.abort();
    clearInterval(timers.sweeper);
    // What waits for the commit interval is committed before the consumers leave their groups (a chunk
    // still running commits its own at once, the projector being stopped).
    await Promise.allSettled([mainCommits.flush(), positions.close()]);
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
    await runGroup(
      name,
      projection.topics,
      options.partitionsConsumedConcurrently ?? DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY,
      mainBatchHandler(deps),
    );
    await runGroup(
      retryGroup(name),
      retryTopics(name, policy.levels),
      options.retryConcurrency ?? 8,
      // Retry records are few and each waits seconds: their offsets are committed at once.
      retryBatchHandler({ ...deps, commits: new OffsetCommits(0, lateCommitFailed) }),
      RETRY_CONSUMER_CONFIG,
    );
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
