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
  /** Most events in one transaction; a pending batch this large is sent without lingering. */
  readonly maxBatchEvents: number;
  /**
   * How long a batch smaller than `maxBatchEvents` may wait for more events before it is sent (0 = send at
   * once). At low rates every event would otherwise pay a whole transaction on the brokers.
   */
  readonly lingerMs: number;
  readonly onPublished?: (topic: string, count: number) => void;
  readonly onCommitted: (position: LogPosition) => void;
  /** After each commit: events in the batch and seconds since its first events were handed to `accept`. */
  readonly onBatch?: (size: number, seconds: number) => void;
}

/** Encoded events not sent yet: what the tail handed over since the last transaction started. */
interface PendingBatch {
  readonly events: RecordedEvent[];
  readonly records: Map<string, TopicMessages['messages']>;
  position: LogPosition;
  readonly acceptedAt: number;
}

/**
 * Publishes store batches strictly one after another, in log order, each in one Kafka transaction with its
 * checkpoint. While a transaction is on the wire the tail goes on reading and encoding; what it hands over
 * meanwhile is merged into the next transaction, which starts when the current one is committed and the
 * linger has passed (or at once when `maxBatchEvents` are waiting, and then the tail waits). So a busy relay
 * sends what arrived during the previous transaction in one, and a quiet one does not pay a transaction per
 * event. A failed transaction is not retried here: its outcome is unknown, so the relay resumes from
 * Kafka's checkpoint.
 */
export class BatchPipeline {
  private inFlight: Promise<void> = Promise.resolve();
  private pending: PendingBatch | undefined;
  /** Flushes run one after another, so two of them never start transactions side by side. */
  private flushes: Promise<void> = Promise.resolve();
  private lingering: NodeJS.Timeout | undefined;
  private readonly failure = new AbortController();

  constructor(private readonly options: BatchPipelineOptions) {}

  /** Aborts when a transaction failed, so that a tail waiting for new events ends the session at once. */
  get failed(): AbortSignal {
    return this.failure.signal;
  }

  /**
   * Encodes a batch and adds it to the pending one; returns at once unless `maxBatchEvents` are pending,
   * then once they are on their way. Rethrows the failure of an earlier transaction.
   */
  async accept(events: readonly RecordedEvent[], position: LogPosition): Promise<void> {
    const { sending, policy } = this.options;
    if (this.failure.signal.aborted) throw this.failure.signal.reason;
    const batch = describeBatch(events, position);
    // Encoding touches no broker state, so an encoding failure (a registry outage) is retried in place.
    const records = await retryUntilDone(
      'relay encode',
      { step: 'encode', ...batch },
      sending,
      () => toTopicMessages(events, this.options.encoder, this.options.topicFor),
      policy,
    );
    const pending = (this.pending ??= {
      events: [] as RecordedEvent[],
      records: new Map(),
      position,
      acceptedAt: performance.now(),
    });
    pending.events.push(...events);
    pending.position = position;
    for (const { topic, messages } of records) {
      const merged = pending.records.get(topic);
      if (merged === undefined) pending.records.set(topic, [...messages]);
      else merged.push(...messages);
    }
    if (pending.events.length >= this.options.maxBatchEvents) await this.flush();
    else this.flushAfterLinger(pending.acceptedAt);
  }

  /** Sends what is pending and waits until it is committed, or has failed (then rethrows). */
  async drain(): Promise<void> {
    clearTimeout(this.lingering);
    if (!this.options.sending.aborted) await this.flush();
    this.pending = undefined;
    await this.inFlight;
  }

  private flushAfterLinger(acceptedAt: number): void {
    if (this.lingering !== undefined) return;
    const wait = Math.max(0, acceptedAt + this.options.lingerMs - performance.now());
    this.lingering = setTimeout(() => {
      this.lingering = undefined;
      // A failure here is the transaction's, already signalled through `failed`.
      this.flush().catch(() => undefined);
    }, wait);
  }

  /** Once the transaction in flight is committed, starts one with everything pending. */
  private flush(): Promise<void> {
    const next = this.flushes.then(() => this.startNext());
    this.flushes = next.catch(() => undefined);
    return next;
  }

  private async startNext(): Promise<void> {
    await this.inFlight;
    const { sending } = this.options;
    if (sending.aborted) throw sending.reason;
    const batch = this.pending;
    if (batch === undefined) return;
    this.pending = undefined;
    clearTimeout(this.lingering);
    this.lingering = undefined;
    const topicMessages = [...batch.records].map(([topic, messages]) => ({ topic, messages }));
    const delivery = inSpan('relay publish', publishSpanOptions(batch.events), () =>
      this.deliver(topicMessages, batch.events, batch.position),
    ).then(() => this.options.onBatch?.(batch.events.length, (performance.now() - batch.acceptedAt) / 1000));
    // Observed by the next flush or by drain(); a rejection must not count as unhandled meanwhile.
    delivery.catch((error: unknown) => this.failure.abort(error));
    this.inFlight = delivery;
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
