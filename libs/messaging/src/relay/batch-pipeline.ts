import type { LogPosition, RecordedEvent } from '@ledger/event-store';
import { inSpan } from '@ledger/observability';
import { retryUntilDone, type RetryPolicy } from '@ledger/runtime';
import type { TopicMessages } from 'kafkajs';
import type { CheckpointWriter } from './checkpoint-writer';
import { toTopicMessages, type EventEncoder, type TopicRouter } from './event-records';
import type { TransactionalPublisher } from './publisher';
import { publishSpanOptions } from './tracing';

export interface BatchPipelineOptions {
  readonly encoder: EventEncoder;
  readonly topicFor?: TopicRouter;
  readonly publisher: TransactionalPublisher;
  readonly checkpointWriter: CheckpointWriter;
  /** Aborts when the relay stops or loses leadership: encoding retries end and no new batch is sent. */
  readonly sending: AbortSignal;
  /** Aborts when leadership is lost: a transaction in flight is aborted rather than committed. */
  readonly leadershipLost: AbortSignal;
  readonly policy: RetryPolicy;
  readonly onPublished?: (topic: string, count: number) => void;
  readonly onCommitted: (position: LogPosition) => void;
  /** After each commit: events in the batch and seconds since it was handed to `accept`. */
  readonly onBatch?: (size: number, seconds: number) => void;
}

/**
 * Publishes store batches strictly one after another, in log order, each in one Kafka transaction with its
 * checkpoint. While one batch is on the wire the next one is read and encoded, so the broker round trips
 * are not added to the store and encoding time; at most two batches are held in memory. A failed
 * transaction is not retried here: its outcome is unknown, so the relay resumes from Kafka's checkpoint.
 */
export class BatchPipeline {
  private inFlight: Promise<void> = Promise.resolve();
  private readonly failure = new AbortController();

  constructor(private readonly options: BatchPipelineOptions) {}

  /** Aborts when a transaction failed, so that a tail waiting for new events ends the session at once. */
  get failed(): AbortSignal {
    return this.failure.signal;
  }

  /** Encodes a batch and hands it over once the previous one is committed; rethrows that one's failure. */
  async accept(events: readonly RecordedEvent[], position: LogPosition): Promise<void> {
    const { sending, policy } = this.options;
    const started = performance.now();
    const batch = describeBatch(events, position);
    // Encoding touches no broker state, so an encoding failure (a registry outage) is retried in place.
    const records = await retryUntilDone(
      'relay encode',
      { step: 'encode', ...batch },
      sending,
      () => toTopicMessages(events, this.options.encoder, this.options.topicFor),
      policy,
    );
    await this.inFlight;
    if (sending.aborted) throw sending.reason;
    const delivery = inSpan('relay publish', publishSpanOptions(events), () =>
      this.deliver(records, events, position),
    ).then(() => this.options.onBatch?.(events.length, (performance.now() - started) / 1000));
    // Observed by the next accept() or by drain(); a rejection must not count as unhandled meanwhile.
    delivery.catch((error: unknown) => this.failure.abort(error));
    this.inFlight = delivery;
  }

  /** Waits until the batch in flight is committed, or has failed (then rethrows). */
  drain(): Promise<void> {
    return this.inFlight;
  }

  private async deliver(
    records: TopicMessages[],
    events: readonly RecordedEvent[],
    position: LogPosition,
  ): Promise<void> {
    const last = events[events.length - 1];
    // Leadership lost while the records were on the wire: abort rather than commit (the next leader would
    // abort the transaction anyway when it fences this producer).
    await this.options.publisher.publish(
      records,
      { position, lastEventId: last.eventId },
      this.options.leadershipLost,
    );
    for (const { topic, messages } of records) this.options.onPublished?.(topic, messages.length);
    this.options.checkpointWriter.record(position);
    this.options.onCommitted(position);
    this.options.policy.logger.debug(describeBatch(events, position), 'relay batch committed');
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
