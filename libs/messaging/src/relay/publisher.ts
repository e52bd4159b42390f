import { Partitioners, type Kafka, type Producer, type ProducerConfig, type TopicMessages } from 'kafkajs';
import { silentLogger, type RuntimeLogger } from '@ledger/runtime';
import { checkpointOffsets, type CommittedCheckpoint, type KafkaCheckpoints } from './kafka-checkpoint';

/**
 * Producer settings of the relay, without the transactional id (one per deployment, see
 * createRelayProducer). Transactional, hence idempotent with one request in flight, so a retry can never
 * overtake a request and reorder a partition. kafkajs' own retries are bounded (about 15 s in all), so the
 * relay gets control back during an outage. The Java-compatible partitioner sends a key to the same partition as Java clients.
 * The transaction timeout bounds how long a relay that died mid-batch holds read_committed consumers back
 * when no standby takes over.
 */
export const RELAY_PRODUCER_CONFIG: ProducerConfig = {
  idempotent: true,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  createPartitioner: Partitioners.DefaultPartitioner,
  transactionTimeout: 30_000,
  // A transaction started right after the previous commit meets CONCURRENT_TRANSACTIONS while the
  // coordinator writes that commit's markers: a millisecond or two on a quiet broker, more when it is busy
  // (catching up after an outage). Retries start at 1 ms and double up to 250 ms apart (~6 s in all): a
  // first retry at 20 ms made every transaction that followed another wait ~20 ms for markers long written
  // (back-to-back transactions: 32–40 a second, p50 26–31 ms; from 1 ms: 252–257 a second, p50 3.1–3.5 ms).
  // A broker that stays away fails the session, which backs off itself.
  retry: { initialRetryTime: 1, multiplier: 2, retries: 30, maxRetryTime: 250 },
};

/** The number of partitions of each of `topics`. */
export type PartitionCounts = (topics: readonly string[]) => Promise<ReadonlyMap<string, number>>;

export const createRelayProducer = (kafka: Kafka, transactionalId: string): Producer =>
  kafka.producer({ ...RELAY_PRODUCER_CONFIG, transactionalId });

// Another producer with the same transactional id initialised after this one (a newer leader), or the
// broker aborted this producer's transaction after its timeout: this producer can never write again.
const FENCED_ERRORS = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);
const PRODUCER_FENCED_CODE = 90;

/** True when `error`, or an error it wraps, says another producer with the same transactional id took over. */
export function isProducerFenced(error: unknown): boolean {
  for (
    let current = error, depth = 0;
    current instanceof Error && depth < 5;
    current = current.cause, depth++
  ) {
    const { type, code } = current as { type?: string; code?: number };
    if (FENCED_ERRORS.has(type ?? '') || code === PRODUCER_FENCED_CODE) return true;
  }
  return false;
}

/**
 * Owns one transactional producer for one session of a leader. `open` initialises it, which fences every
 * earlier producer of the same transactional id and completes (or aborts) the transaction such a producer
 * left open; `publish` writes a batch and its checkpoint in one transaction. After any failure the outcome
 * of the transaction is unknown to this process, so the session is over: the relay opens a new one and
 * reads the checkpoint Kafka committed, never resending from what it believes.
 */
export class TransactionalPublisher {
  private producer: Producer | undefined;
  private broken = false;
  private closedBefore = false;

  /**
   * `partitionCounts`: the number of partitions of each topic, so that the first batch's partitions can be
   * closed before it (closePartitionsOf); without it the session relies on the coordinator's abort alone.
   */
  constructor(
    private readonly createProducer: () => Producer,
    private readonly checkpoints: Pick<KafkaCheckpoints, 'groupId' | 'topic'>,
    private readonly logger: RuntimeLogger = silentLogger,
    private readonly partitionCounts?: PartitionCounts,
  ) {}

  /** Connects and initialises the producer (fencing the previous owner of the transactional id). */
  async open(): Promise<void> {
    const producer = this.createProducer();
    this.producer = producer;
    await producer.connect();
    // kafkajs initialises a transactional producer with its first transaction: an empty one fences now.
    const transaction = await producer.transaction();
    await transaction.abort();
  }

  /**
   * Resolves once the batch and its checkpoint are committed; any failure ends the session (rethrown).
   * When `signal` aborts before the commit (leadership lost), the transaction is aborted instead.
   */
  async publish(
    topicMessages: TopicMessages[],
    checkpoint: CommittedCheckpoint,
    signal?: AbortSignal,
  ): Promise<void> {
    const producer = this.producer;
    if (producer === undefined || this.broken) throw new Error('the relay producer session is closed');
    if (!this.closedBefore) {
      try {
        await this.closePartitionsOf(producer, topicMessages);
      } catch (error) {
        this.broken = true;
        throw error;
      }
    }
    const transaction = await producer.transaction();
    try {
      await transaction.sendBatch({ topicMessages, acks: -1 });
      await transaction.sendOffsets(checkpointOffsets(this.checkpoints, checkpoint));
      signal?.throwIfAborted();
      await transaction.commit();
    } catch (error) {
      this.broken = true;
      // Best effort: a fenced or unreachable producer cannot abort; the next owner's initialisation will.
      if (transaction.isActive()) await transaction.abort().catch(() => undefined);
      this.logger.debug({ fenced: isProducerFenced(error) }, 'relay transaction failed');
      throw error;
    }
  }

  /**
   * Before the session's first transaction: aborts a transaction over the partitions that first batch
   * goes to, which puts an abort marker on each.
   *
   * Initialisation makes the coordinator abort the transaction an earlier session left open, with a marker
   * on every partition it knows that transaction wrote to. A partition holding that session's records
   * without the coordinator knowing it (seen after a broker restart in the middle of a transaction) keeps
   * them open, and the broker counts them into this producer id's next transaction on that partition: the
   * next commit would publish them beside their republication. Those records are the events right after
   * the checkpoint, which this session's first batch republishes, to the same partitions (same keys). The
   * marker closes them as aborted first. Only those partitions get one, and records follow it at once: a
   * marker at the end of an idle partition would look like a record never read to whoever measures lag by
   * offsets.
   */
  private async closePartitionsOf(producer: Producer, topicMessages: TopicMessages[]): Promise<void> {
    if (this.partitionCounts === undefined) return;
    const counts = await this.partitionCounts(topicMessages.map(({ topic }) => topic));
    const partitioner = Partitioners.DefaultPartitioner();
    const partitions = topicMessages.map(({ topic, messages }) => {
      const count = counts.get(topic);
      if (count === undefined) throw new Error(`no partition count for topic ${topic}`);
      const partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({
        partitionId,
        leader: 0,
        replicas: [0],
        isr: [0],
        partitionErrorCode: 0,
      }));
      const chosen = new Set(messages.map((message) => partitioner({ topic, partitionMetadata, message })));
      return { topic, partitions: [...chosen].sort((a, b) => a - b) };
    });
    const transaction = await producer.transaction();
    await transaction.addPartitions(partitions);
    await transaction.abort();
    this.closedBefore = true;
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }
}
