import type { Producer, ProducerBatch, RecordMetadata, TopicMessages } from 'kafkajs';
import { LeadershipLostError, type LeaderLock, type Leadership } from './leadership';

// Test doubles for the relay's ports; the Postgres and Kafka implementations have integration tests.

/** Records every acknowledged batch; `failNext` and `hold` script the broker's behaviour. */
export class FakeBroker {
  readonly acknowledged: TopicMessages[][] = [];
  attempts = 0;
  producersCreated = 0;
  private failures: Error[] = [];
  private gate: Promise<void> | undefined;

  failNext(...errors: Error[]): void {
    this.failures.push(...errors);
  }

  /** The next send waits until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => release();
  }

  createProducer = (): Producer => {
    this.producersCreated++;
    const producer = {
      connect: async () => undefined,
      disconnect: async () => undefined,
      sendBatch: async (batch: ProducerBatch): Promise<RecordMetadata[]> => {
        this.attempts++;
        const gate = this.gate;
        this.gate = undefined;
        if (gate) await gate;
        const failure = this.failures.shift();
        if (failure) throw failure;
        this.acknowledged.push(batch.topicMessages ?? []);
        return [];
      },
    };
    return producer as unknown as Producer;
  };

  /** Every acknowledged record as `key:data.id` (see FakeEncoder), in acknowledgement order. */
  records(): string[] {
    return this.acknowledged
      .flat()
      .flatMap(({ messages }) =>
        messages.map((message) => `${message.key}:${JSON.parse(String(message.value)).data.id}`),
      );
  }
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
