import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { EventHeaders } from '@ledger/contracts';
import { Kafka, logLevel, type Consumer } from 'kafkajs';

/**
 * When each event of a topic reached a reader in this process, by global position: a probe that splits
 * the end-to-end latency into stages. A read-uncommitted reader sees a record once the relay has produced
 * it, a read-committed one once the relay's transaction has committed; both start at the log end, so they
 * must be running before the load they observe.
 */
export class KafkaArrivals {
  private readonly seen = new Map<number, number>();

  private constructor(private readonly consumer: Consumer) {}

  static async start(
    brokers: string[],
    topic: string,
    isolation: 'uncommitted' | 'committed',
  ): Promise<KafkaArrivals> {
    const kafka = new Kafka({ clientId: `bench-arrivals-${isolation}`, brokers, logLevel: logLevel.ERROR });
    const consumer = kafka.consumer({
      groupId: `bench-arrivals-${randomUUID()}`,
      readUncommitted: isolation === 'uncommitted',
      maxWaitTimeInMs: 1000,
    });
    const arrivals = new KafkaArrivals(consumer);
    let joined!: () => void;
    const hasJoined = new Promise<void>((resolve) => (joined = resolve));
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const now = performance.now();
        for (const message of batch.messages) {
          const position = Number(message.headers?.[EventHeaders.globalPosition]?.toString());
          if (Number.isSafeInteger(position) && !arrivals.seen.has(position))
            arrivals.seen.set(position, now);
        }
      },
    });
    await hasJoined;
    return arrivals;
  }

  /** performance.now() when the event at `position` arrived, if it has. */
  at(position: number): number | undefined {
    return this.seen.get(position);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
