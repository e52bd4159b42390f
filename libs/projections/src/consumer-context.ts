import type { EachBatchPayload, Producer } from 'kafkajs';
import type { BackoffOptions, RuntimeLogger } from '@ledger/runtime';
import { untilSuccess, type BlockingContext } from './blocking';
import type { DecodedEvent } from './event';
import type { ProjectionMetrics } from './metrics';
import type { OffsetCommits } from './offset-commits';
import type { PendingPositions } from './pending-positions';
import type { Stage } from './policy';
import { publishParkedHeads } from './publisher';
import type { Runtime } from './runtime';

/** What the main and the retry consumer's batch handlers share. */
export interface HandlerDependencies<E extends DecodedEvent> {
  runtime: Runtime<E>;
  producer: Producer;
  signal: AbortSignal;
  logger: RuntimeLogger;
  metrics: ProjectionMetrics;
  backoff: BackoffOptions;
  maxBatchSize: number;
  heartbeatEveryMs: number;
  /** The consumer group's offset commits (one per interval at most, see OffsetCommits). */
  commits: OffsetCommits;
  /** Positions of chunks that needed no transaction, written in bulk later. */
  positions: PendingPositions;
}

/** Where a handler is in its batch, for logs. */
export interface Where {
  projection: string;
  topic: string;
  partition: number;
  offset: string;
}

type Payload = Pick<
  EachBatchPayload,
  | 'heartbeat'
  | 'pause'
  | 'isRunning'
  | 'isStale'
  | 'resolveOffset'
  | 'commitOffsetsIfNecessary'
  | 'uncommittedOffsets'
>;

/**
 * One batch as a handler works through it: blocking on failures (heartbeating, the partition paused,
 * backing off, counted per consumer), publishing parked heads, committing offsets only after Postgres.
 */
export class BatchContext<E extends DecodedEvent> {
  readonly blocking: BlockingContext;

  constructor(
    private readonly deps: HandlerDependencies<E>,
    private readonly payload: Payload,
  ) {
    const name = deps.runtime.projection.name;
    this.blocking = {
      signal: deps.signal,
      heartbeat: payload.heartbeat,
      pausePartition: payload.pause,
      backoff: deps.backoff,
      logger: deps.logger,
      onFailure: () => deps.metrics.blockedRetry(name),
      heartbeatEveryMs: deps.heartbeatEveryMs,
    };
  }

  /** False once the projector stops or the partition went to another member: the handler returns. */
  get owned(): boolean {
    return !this.deps.signal.aborted && this.payload.isRunning() && !this.payload.isStale();
  }

  /** Runs `work` until it succeeds (see untilSuccess); undefined when the projector stops first. */
  untilSuccess<T>(work: () => Promise<T>, where: Where): Promise<T | undefined> {
    return untilSuccess(work, this.blocking, where);
  }

  /** Sends the heads of newly parked streams to their retry or dead-letter topic; false when stopped. */
  async publishHeads(streamIds: string[], where: Where): Promise<boolean> {
    if (streamIds.length === 0) return true;
    const { runtime, producer } = this.deps;
    const sent = await this.untilSuccess(
      () => publishParkedHeads(runtime.pool, producer, runtime.projection.name, { streamIds }),
      where,
    );
    return sent !== undefined;
  }

  /** Counts a stream parked (again) at `stage`. */
  countParked(stage: Stage): void {
    const { metrics, runtime } = this.deps;
    if (stage.stage === 'retry') metrics.retryScheduled(runtime.projection.name, stage.level);
    else metrics.deadLettered(runtime.projection.name);
  }

  /**
   * Marks the batch done through `offset` and has it committed to Kafka (auto-commit is off): now, or
   * within the commit interval; at once when the projector is stopping.
   */
  async commitThrough(offset: string): Promise<void> {
    this.payload.resolveOffset(offset);
    // Without arguments kafkajs commits nothing when auto-commit is off: pass the resolved offsets, read
    // when the commit runs (a later chunk's, or another partition's, may have been resolved by then).
    await this.deps.commits.request(
      () => this.payload.commitOffsetsIfNecessary(this.payload.uncommittedOffsets()),
      this.deps.signal.aborted,
    );
  }
}
