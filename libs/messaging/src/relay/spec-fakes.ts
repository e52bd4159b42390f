import {
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
  type Producer,
  type ProducerBatch,
  type RecordMetadata,
  type TopicMessages,
} from 'kafkajs';
import {
  parseCheckpointMetadata,
  type checkpointOffsets,
  type CommittedCheckpoint,
  type KafkaCheckpoints,
} from './kafka-checkpoint';
import { LeadershipLostError, type LeaderLock, type Leadership } from './leadership';

// Test doubles for the relay's ports; the Postgres and Kafka implementations have integration tests.

/**
 * A broker with transactions, as the relay sees one: records and the checkpoint become visible together on
 * commit; a producer initialised later fences earlier ones. `failNext`, `hold` and `failCommitAfterWriting`
 * script its behaviour.
 */
export class FakeBroker {
  /** Committed batches, each as its transaction's records. */
  readonly acknowledged: TopicMessages[][] = [];
  committedCheckpoint: CommittedCheckpoint | undefined;
  attempts = 0;
  producersCreated = 0;
  private epoch = 0;
  private failures: Error[] = [];
  private ambiguousCommits = 0;
  private gate: Promise<void> | undefined;

  readonly checkpoints: KafkaCheckpoints = {
    groupId: 'relay-group',
    topic: 'relay.checkpoints',
    load: async () => this.committedCheckpoint,
  };

  /** The next sends fail with these errors, one each. */
  failNext(...errors: Error[]): void {
    this.failures.push(...errors);
  }

  /** The next commit is written, but the producer sees an error (a timeout after the broker committed). */
  failCommitAfterWriting(): void {
    this.ambiguousCommits++;
  }

  /** The next send waits until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => release();
  }

  createProducer = (): Producer => {
    this.producersCreated++;
    let epoch: number | undefined;
    const assertCurrent = () => {
      if (epoch !== this.epoch) throw fencedError();
    };
    const producer = {
      connect: async () => undefined,
      disconnect: async () => undefined,
      transaction: async () => {
        epoch ??= ++this.epoch;
        assertCurrent();
        const records: TopicMessages[] = [];
        let checkpoint: CommittedCheckpoint | undefined;
        let active = true;
        return {
          isActive: () => active,
          sendBatch: async (batch: ProducerBatch): Promise<RecordMetadata[]> => {
            this.attempts++;
            const gate = this.gate;
            this.gate = undefined;
            if (gate) await gate;
            assertCurrent();
            const failure = this.failures.shift();
            if (failure) throw failure;
            records.push(...(batch.topicMessages ?? []));
            return [];
          },
          sendOffsets: async (offsets: ReturnType<typeof checkpointOffsets>) => {
            assertCurrent();
            checkpoint = parseCheckpointMetadata(offsets.topics[0].partitions[0].metadata);
          },
          commit: async () => {
            assertCurrent();
            active = false;
            if (records.length > 0) this.acknowledged.push(records);
            if (checkpoint) this.committedCheckpoint = checkpoint;
            if (this.ambiguousCommits > 0) {
              this.ambiguousCommits--;
              throw new KafkaJSRequestTimeoutError('Request EndTxn timed out');
            }
          },
          abort: async () => {
            active = false;
          },
        };
      },
    };
    return producer as unknown as Producer;
  };

  /** Every committed record as `key:data.id` (see FakeEncoder), in commit order. */
  records(): string[] {
    return this.acknowledged
      .flat()
      .flatMap(({ messages }) =>
        messages.map((message) => `${message.key}:${JSON.parse(String(message.value)).data.id}`),
      );
  }
}

function fencedError(): Error {
  return new KafkaJSProtocolError(
    Object.assign(new Error('Producer attempted an operation with an old epoch'), {
      type: 'INVALID_PRODUCER_EPOCH',
      code: 47,
      retriable: false,
    }),
  );
}

export class FakeLeadership implements Leadership {
  private readonly controller = new AbortController();
  readonly lost = this.controller.signal;
  released = false;

  async assertHeld(): Promise<void> {
    if (this.lost.aborted) throw this.lost.reason;
  }

  async release(): Promise<void> {
    this.released = true;
  }

  lose(): void {
    this.controller.abort(new LeadershipLostError('fake', new Error('connection cut')));
  }
}

/** Grants the lock when the test says so. */
export class FakeLock implements LeaderLock {
  readonly grants: FakeLeadership[] = [];
  private pending: ((leadership: FakeLeadership) => void) | undefined;
  private readyToGrant = 0;

  grant(): FakeLeadership {
    const leadership = new FakeLeadership();
    this.grants.push(leadership);
    if (this.pending) this.pending(leadership);
    else this.readyToGrant++;
    return leadership;
  }

  acquire(signal: AbortSignal): Promise<Leadership | undefined> {
    if (this.readyToGrant > 0) {
      this.readyToGrant--;
      return Promise.resolve(this.grants[this.grants.length - 1 - this.readyToGrant]);
    }
    return new Promise((resolve) => {
      this.pending = (leadership) => {
        this.pending = undefined;
        resolve(leadership);
      };
      signal.addEventListener('abort', () => resolve(undefined), { once: true });
    });
  }
}

/** Encodes data as JSON; refuses events whose id is in `refused`. */
export class FakeEncoder {
  readonly refused = new Set<string>();
  refusals = 0;
  encoded = 0;

  async encode(type: string, version: number, data: unknown): Promise<Buffer> {
    const id = (data as { id?: string }).id;
    if (id !== undefined && this.refused.has(id)) {
      this.refusals++;
      throw new Error(`schema violation in ${id}`);
    }
    this.encoded++;
    return Buffer.from(JSON.stringify({ type, version, data }));
  }
}
