import type { CheckpointStore, LogPosition, RecordedEvent } from '@ledger/event-store';
import { inSpan } from '@ledger/observability';
import { retryUntilDone, type RetryPolicy } from '@ledger/runtime';
import type { TopicMessages } from 'kafkajs';
import { toTopicMessages, type EventEncoder, type TopicRouter } from './event-records';
import type { Leadership } from './leadership';
import type { RecordPublisher } from './publisher';
import { publishSpanOptions } from './tracing';

export interface BatchPipelineOptions {
  readonly checkpoints: CheckpointStore;
  readonly checkpointName: string;
  readonly encoder: EventEncoder;
  readonly topicFor?: TopicRouter;
  readonly publisher: RecordPublisher;
  readonly leadership: Leadership;
  /** Aborts when the relay stops: no new batch is sent, the one in flight still gets its checkpoint. */
  readonly stopping: AbortSignal;
  readonly policy: RetryPolicy;
  readonly onPublished?: (topic: string, count: number) => void;
  readonly onCheckpoint: (position: LogPosition) => void;
  /** After each checkpoint: events in the batch and seconds since it was handed to `accept`. */
  readonly onBatch?: (size: number, seconds: number) => void;
}

const CHECKPOINT_ATTEMPTS_WHEN_STOPPING = 3;

/**
 * Publishes store batches strictly one after another, in log order, and writes the checkpoint after each
 * acknowledgement. While one batch is on the wire the next one is read and encoded, so the broker round
 * trip is not added to the store and encoding time; at most two batches are held in memory.
 */
export class BatchPipeline {
  private inFlight: Promise<void> = Promise.resolve();

  constructor(private readonly options: BatchPipelineOptions) {}

  /** Encodes a batch and hands it over once the previous one is acknowledged; rethrows that one's failure. */
  async accept(events: readonly RecordedEvent[], position: LogPosition): Promise<void> {
    const { leadership, stopping, policy } = this.options;
    const started = performance.now();
    const batch = describeBatch(events, position);
    const sending = AbortSignal.any([stopping, leadership.lost]);
    const records = await retryUntilDone(
      'relay encode',
      { step: 'encode', ...batch },
      sending,
      () => toTopicMessages(events, this.options.encoder, this.options.topicFor),
      policy,
    );
    await this.inFlight;
    const delivery = inSpan('relay publish', publishSpanOptions(events), () =>
      this.deliver(records, position, batch, sending),
    ).then(() => this.options.onBatch?.(events.length, (performance.now() - started) / 1000));
    // Observed by the next accept() or by drain(); a rejection must not count as unhandled meanwhile.
    delivery.catch(() => undefined);
    this.inFlight = delivery;
  }

  /** Waits until the batch in flight is acknowledged and checkpointed, or has failed (then rethrows). */
  drain(): Promise<void> {
    return this.inFlight;
  }

  private async deliver(
    records: TopicMessages[],
    position: LogPosition,
    batch: object,
    sending: AbortSignal,
  ): Promise<void> {
    const { leadership, policy, publisher, checkpoints, checkpointName } = this.options;
    await retryUntilDone(
      'relay publish',
      { step: 'publish', ...batch },
      sending,
      async () => {
        await leadership.assertHeld();
        await publisher.publish(records);
      },
      policy,
    );
    for (const { topic, messages } of records) this.options.onPublished?.(topic, messages.length);
    // Acknowledged: record it even while stopping, or a restart would publish the batch again. The lock check
    // right before the write is the fence: a deposed leader never moves the checkpoint.
    await retryUntilDone(
      'relay checkpoint',
      { step: 'checkpoint', ...batch },
      leadership.lost,
      async () => {
        await leadership.assertHeld();
        await checkpoints.saveCheckpoint(checkpointName, position);
      },
      policy,
      (attempt) => this.options.stopping.aborted && attempt + 1 >= CHECKPOINT_ATTEMPTS_WHEN_STOPPING,
    );
    this.options.onCheckpoint(position);
    policy.logger.debug(batch, 'relay batch published');
  }
}

function describeBatch(events: readonly RecordedEvent[], position: LogPosition) {
  const first = events[0];
  const last = events[events.length - 1];
  return {
    count: events.length,
    firstEventId: first?.eventId,
    lastEventId: last?.eventId,
    fromGlobalPosition: first?.globalPosition,
    toGlobalPosition: last?.globalPosition,
    position,
  };
}
