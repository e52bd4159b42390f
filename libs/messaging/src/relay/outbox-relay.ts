import {
  compareLogPositions,
  LOG_START,
  type CheckpointStore,
  type EventStore,
  type LogPosition,
} from '@ledger/event-store';
import type { Producer } from 'kafkajs';
import {
  backoffDelay,
  errorContext,
  silentLogger,
  sleep,
  type BackoffOptions,
  type RetryPolicy,
  type RuntimeLogger,
} from '@ledger/runtime';
import { BatchPipeline } from './batch-pipeline';
import { CheckpointWriter } from './checkpoint-writer';
import { encodingFailureContext, type EventEncoder, type TopicRouter } from './event-records';
import type { LagProbe } from './lag';
import type { LeaderLock, Leadership } from './leadership';
import type { KafkaCheckpoints } from './kafka-checkpoint';
import { isProducerFenced, TransactionalPublisher, type PartitionCounts } from './publisher';

export const DEFAULT_RELAY_BATCH_SIZE = 500;

/** Equal jitter: nobody retries at once against a broker that is recovering. */
export const DEFAULT_RELAY_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 5_000, jitter: 'equal' };

/** The relay's gauges and counters; `relayMetrics(registry)` from @ledger/observability provides them. */
export interface RelayMetrics {
  readonly published: { inc(labels: { topic: string }, value: number): void };
  readonly lagEvents: { set(value: number): void };
  readonly lagSeconds: { set(value: number): void };
  readonly isLeader: { set(value: number): void };
  /** Events per store batch published with one sendBatch. */
  readonly batchSize?: { observe(value: number): void };
  /** Seconds from reading a batch (encoding included) to the commit of its transaction. */
  readonly batchDuration?: { observe(value: number): void };
}

export interface OutboxRelayOptions {
  /**
   * Tailed in gap-free log order; also keeps the Postgres copy of the checkpoint, which readers of the
   * store use. PostgresEventStore is both.
   */
  readonly store: Pick<EventStore, 'subscribeToAll' | 'readAll'> & CheckpointStore;
  readonly checkpointName: string;
  readonly leaderLock: LeaderLock;
  /**
   * A transactional producer with the deployment's transactional id (createRelayProducer); called for each
   * session: at the start of a leadership and after a failed transaction.
   */
  readonly createProducer: () => Producer;
  /** Where the checkpoint is committed on Kafka, inside each batch's transaction. */
  readonly kafkaCheckpoints: KafkaCheckpoints;
  /**
   * The partition count of each topic the relay writes to. A session closes the partitions of its first
   * batch with an abort before writing to them, so nothing an earlier session left open there is folded
   * into its commit (TransactionalPublisher). Without it, sessions rely on the coordinator's abort alone.
   */
  readonly partitionCounts?: PartitionCounts;
  readonly encoder: EventEncoder;
  readonly topicFor?: TopicRouter;
  /** Most events read from the store at once, and most published in one transaction (default 500). */
  readonly batchSize?: number;
  /**
   * How long fewer than `batchSize` events may wait for more before their transaction starts (default 0):
   * at low rates it trades these milliseconds of latency for far fewer transactions on the brokers.
   */
  readonly lingerMs?: number;
  /** Fallback poll when no append notification arrives (default 1000 ms). */
  readonly pollIntervalMs?: number;
  readonly backoff?: BackoffOptions;
  readonly lagProbe?: LagProbe;
  readonly lagSampleIntervalMs?: number;
  /**
   * After losing the lock, wait this long before competing again (default 3000 ms), so a standby takes
   * over from an instance whose connection failed rather than the same instance winning straight back.
   */
  readonly rejoinDelayMs?: number;
  readonly metrics?: RelayMetrics;
  readonly logger?: RuntimeLogger;
}

/**
 * The outbox relay: while it holds the leader lock, it tails the event store from its checkpoint and
 * publishes each batch to Kafka in one transaction that also commits the checkpoint, so Kafka holds every
 * event exactly once as a read_committed consumer sees it. After a failed transaction it resumes, with
 * capped exponential backoff, from the checkpoint Kafka committed: the relay waits out an outage or a
 * poison event, and never skips, reorders or duplicates. A stale leader is fenced by Kafka (ADR 0019).
 */
export class OutboxRelay {
  private readonly stopping = new AbortController();
  private readonly logger: RuntimeLogger;
  private running: Promise<void> | undefined;
  private leading = false;
  private position: LogPosition = LOG_START;

  constructor(private readonly options: OutboxRelayOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** The position committed on Kafka, as far as this instance knows. */
  get checkpoint(): LogPosition {
    return this.position;
  }

  /** Competes for leadership and relays while it leads; returns at once. */
  start(): void {
    this.running ??= this.run();
  }

  /** Finishes the batch in flight (unless the broker is down), stops tailing and releases the lock. */
  async stop(): Promise<void> {
    this.stopping.abort(new Error('relay stopping'));
    await this.running;
  }

  private async run(): Promise<void> {
    this.options.metrics?.isLeader.set(0);
    for (let failures = 0; !this.stopping.signal.aborted;) {
      let leadership: Leadership | undefined;
      try {
        leadership = await this.options.leaderLock.acquire(this.stopping.signal);
      } catch (error) {
        const delay = backoffDelay(failures++, this.options.backoff ?? DEFAULT_RELAY_BACKOFF);
        this.logger.error({ retryInMs: delay, ...errorContext(error) }, 'relay cannot compete for the lock');
        await sleep(delay, this.stopping.signal);
        continue;
      }
      if (leadership === undefined) return;
      failures = 0;
      this.leading = true;
      this.options.metrics?.isLeader.set(1);
      try {
        await this.lead(leadership);
      } catch (error) {
        this.logger.error(errorContext(error), 'relay failed while leading');
      } finally {
        this.leading = false;
        this.options.metrics?.isLeader.set(0);
        this.options.metrics?.lagEvents.set(0);
        this.options.metrics?.lagSeconds.set(0);
        await leadership.release();
        this.logger.info({ checkpoint: this.position }, 'relay no longer leading');
      }
      await sleep(this.options.rejoinDelayMs ?? 3_000, this.stopping.signal);
    }
  }

  private async lead(leadership: Leadership): Promise<void> {
    const signal = AbortSignal.any([this.stopping.signal, leadership.lost]);
    const policy: RetryPolicy = {
      backoff: this.options.backoff ?? DEFAULT_RELAY_BACKOFF,
      logger: this.logger,
      retrying: 'retrying the same batch',
      describe: encodingFailureContext,
    };
    const checkpointWriter = new CheckpointWriter({
      checkpoints: this.options.store,
      checkpointName: this.options.checkpointName,
      leadership,
      stopping: this.stopping.signal,
      backoff: policy.backoff,
      logger: this.logger,
    });
    // Ends with the leadership for any reason: a fenced relay leaves the loop below with `signal` still open.
    const leading = new AbortController();
    const sampling = this.sampleLag(AbortSignal.any([signal, leading.signal]));
    try {
      for (let failures = 0; !signal.aborted;) {
        // One producer session per attempt: after a failed transaction only Kafka knows whether it committed.
        const publisher = new TransactionalPublisher(
          this.options.createProducer,
          this.options.kafkaCheckpoints,
          this.logger,
          this.options.partitionCounts,
        );
        const pipeline = new BatchPipeline({
          encoder: this.options.encoder,
          topicFor: this.options.topicFor,
          publisher,
          checkpointWriter,
          sending: signal,
          leadershipLost: leadership.lost,
          policy,
          maxBatchEvents: this.options.batchSize ?? DEFAULT_RELAY_BATCH_SIZE,
          lingerMs: this.options.lingerMs ?? 0,
          onPublished: (topic, count) => this.options.metrics?.published.inc({ topic }, count),
          onBatch: (size, seconds) => {
            this.options.metrics?.batchSize?.observe(size);
            this.options.metrics?.batchDuration?.observe(seconds);
          },
          onCommitted: (position) => {
            this.position = position;
            failures = 0;
          },
        });
        try {
          // Only the lock holder may initialise the producer: that fences whoever held the id before.
          await leadership.assertHeld();
          await publisher.open();
          this.position = await this.resumePosition();
          await this.options.store.subscribeToAll({
            from: this.position,
            signal: AbortSignal.any([signal, pipeline.failed]),
            batchSize: this.options.batchSize ?? DEFAULT_RELAY_BATCH_SIZE,
            pollIntervalMs: this.options.pollIntervalMs,
            onEvents: (events, position) => pipeline.accept(events, position),
          });
          await pipeline.drain();
        } catch (error) {
          // The batch in flight finishes (or fails) before the tail resumes from Kafka's checkpoint.
          await pipeline.drain().catch(() => undefined);
          if (isProducerFenced(error)) {
            this.logger.warn(
              errorContext(error),
              'relay producer fenced by a newer one; giving up leadership',
            );
            break;
          }
          if (signal.aborted) break;
          const delay = backoffDelay(failures++, policy.backoff);
          this.logger.error(
            { retryInMs: delay, ...errorContext(error) },
            'relay session failed; resuming from the checkpoint Kafka committed',
          );
          await sleep(delay, signal);
        } finally {
          await publisher.close();
        }
      }
    } finally {
      leading.abort();
      await sampling;
      await checkpointWriter.flush();
    }
  }

  /**
   * Where this session resumes: the checkpoint committed on Kafka with the last transaction, read after
   * the producer was initialised (so no transaction is pending), or the Postgres copy when Kafka has none
   * that belongs to this store (a first start after the at-least-once relay, or an expired group offset).
   * The Postgres copy is written only after a commit, so it is never ahead of Kafka's.
   */
  private async resumePosition(): Promise<LogPosition> {
    const { store, checkpointName, kafkaCheckpoints } = this.options;
    const [committed, stored] = await Promise.all([
      kafkaCheckpoints.load(),
      store.loadCheckpoint(checkpointName),
    ]);
    let from = stored ?? LOG_START;
    if (committed !== undefined) {
      const [event] = await store.readAll({ after: committed.position.globalPosition - 1, limit: 1 });
      if (event?.eventId !== committed.lastEventId) {
        this.logger.warn(
          { groupId: kafkaCheckpoints.groupId, committed },
          'the checkpoint on Kafka names an event this store does not have at that position; ignoring it',
        );
      } else if (compareLogPositions(committed.position, from) > 0) {
        from = committed.position;
      }
    }
    this.logger.info({ checkpointName, from, kafka: committed?.position, postgres: stored }, 'relay leading');
    return from;
  }

  private async sampleLag(signal: AbortSignal): Promise<void> {
    const { lagProbe, metrics } = this.options;
    if (lagProbe === undefined || metrics === undefined) return;
    while (!signal.aborted) {
      try {
        const lag = await lagProbe.sample(this.position);
        metrics.lagEvents.set(lag.events);
        metrics.lagSeconds.set(lag.seconds);
      } catch (error) {
        this.logger.debug(errorContext(error), 'relay lag sample failed');
      }
      await sleep(this.options.lagSampleIntervalMs ?? 1_000, signal);
    }
  }
}
