import type { CheckpointStore, LogPosition } from '@ledger/event-store';
import { backoffDelay, errorContext, sleep, type BackoffOptions, type RuntimeLogger } from '@ledger/runtime';
import type { Leadership } from './leadership';

const ATTEMPTS_WHEN_STOPPING = 3;

export interface CheckpointWriterOptions {
  readonly checkpoints: CheckpointStore;
  readonly checkpointName: string;
  readonly leadership: Leadership;
  /** Aborts when the relay stops: the writer then gives up after a few failures instead of retrying on. */
  readonly stopping: AbortSignal;
  readonly backoff: BackoffOptions;
  readonly logger: RuntimeLogger;
}

/**
 * Copies the position Kafka committed into the Postgres checkpoint, which readers of the store use
 * (read-your-writes asks whether an event is on Kafka yet; the lag probe). It runs beside the relay, not in
 * its way: positions that arrive while a write is in flight collapse into the newest one, and a failed write
 * is retried until it succeeds or leadership ends. Kafka's copy is the one the relay resumes from, so a
 * Postgres checkpoint that lags only makes readers wait a little longer; it is never ahead of Kafka.
 */
export class CheckpointWriter {
  private pending: LogPosition | undefined;
  private writing: Promise<void> | undefined;

  constructor(private readonly options: CheckpointWriterOptions) {}

  /** Records a position Kafka committed; written soon, after any write in flight. */
  record(position: LogPosition): void {
    this.pending = position;
    this.writing ??= this.writeAll().finally(() => (this.writing = undefined));
  }

  /** Waits until every recorded position is written (or leadership ended, or the relay stops and gave up). */
  async flush(): Promise<void> {
    await this.writing;
  }

  private async writeAll(): Promise<void> {
    const { checkpoints, checkpointName, leadership, stopping, backoff, logger } = this.options;
    for (let failures = 0; this.pending !== undefined && !leadership.lost.aborted;) {
      const position = this.pending;
      try {
        // No lock check first (a statement per batch): the store moves a checkpoint forward only, so a
        // deposed leader's late write can never move it back.
        await checkpoints.saveCheckpoint(checkpointName, position);
        if (this.pending === position) this.pending = undefined;
        failures = 0;
      } catch (error) {
        failures++;
        if (stopping.aborted && failures >= ATTEMPTS_WHEN_STOPPING) {
          logger.error({ position, ...errorContext(error) }, 'relay checkpoint not written before stopping');
          return;
        }
        const retryInMs = backoffDelay(failures - 1, backoff);
        logger.warn(
          { position, retryInMs, ...errorContext(error) },
          'relay checkpoint write failed; retrying',
        );
        await sleep(retryInMs, leadership.lost);
      }
    }
  }
}
