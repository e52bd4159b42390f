import {
  Partitioners,
  type Kafka,
  type Producer,
  type ProducerConfig,
  type RecordMetadata,
  type TopicMessages,
} from 'kafkajs';
import { errorContext, silentLogger, type RuntimeLogger } from '@ledger/runtime';

/**
 * Producer settings of the relay. Idempotent (the broker drops a retried request it already wrote) with one
 * request in flight, so a retry can never overtake a request and reorder a partition. kafkajs' own retries
 * are bounded, so the relay gets control back during an outage and retries the same batch itself: kafkajs
 * rolls sequence numbers back after a failed request, so the broker still recognises a resent batch it had
 * already written. The Java-compatible partitioner sends a key to the same partition as Java clients do.
 */
export const RELAY_PRODUCER_CONFIG: ProducerConfig = {
  idempotent: true,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  createPartitioner: Partitioners.DefaultPartitioner,
  retry: { initialRetryTime: 300, retries: 5, maxRetryTime: 5_000 },
};

export const createRelayProducer = (kafka: Kafka): Producer => kafka.producer(RELAY_PRODUCER_CONFIG);

// The broker no longer knows this producer's sequence (e.g. its id expired after a long idle period):
// only a new producer id gets past these.
const PRODUCER_STATE_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
]);

/** True when `error`, or an error it wraps, says the producer's idempotence state is unusable. */
export function needsNewProducer(error: unknown): boolean {
  for (
    let current = error, depth = 0;
    current instanceof Error && depth < 5;
    current = current.cause, depth++
  ) {
    if (PRODUCER_STATE_ERRORS.has((current as { type?: string }).type ?? '')) return true;
  }
  return false;
}

/** Owns the relay's producer: connects it on first use, replaces it when its idempotence state is lost. */
export class RecordPublisher {
  private producer: Producer | undefined;

  constructor(
    private readonly createProducer: () => Producer,
    private readonly logger: RuntimeLogger = silentLogger,
  ) {}

  /** Resolves once every partition leader acknowledged every record (acks = all in-sync replicas). */
  async publish(topicMessages: TopicMessages[]): Promise<RecordMetadata[]> {
    const producer = await this.connected();
    try {
      return await producer.sendBatch({ topicMessages, acks: -1 });
    } catch (error) {
      if (needsNewProducer(error)) {
        this.logger.warn(
          errorContext(error),
          'producer state rejected by the broker; replacing the producer',
        );
        await this.close();
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.createProducer();
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    this.producer = producer;
    return producer;
  }
}
