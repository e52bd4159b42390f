import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AvroEventCodec } from '@ledger/messaging';
import { avroRecordDecoder } from '@ledger/projections';
import { toProjectionRecord } from '@ledger/projections';
import type { Batch, Kafka } from 'kafkajs';
import type { CpuUse } from '../lib/cpu';

/** Wall time of one pass over a topic: from creating the consumer to the last record handled. */
export interface Pass {
  readonly ms: number;
  /** Of which before the first record arrived: connecting and joining the group. */
  readonly startupMs: number;
  /** CPU seconds the pass used, where measured (the throughput rounds). */
  readonly cpu?: CpuUse;
}

/**
 * Reads every record of a topic with a fresh kafkajs consumer group at kafkajs defaults, the same as the
 * projector's, calling `handle` on each batch. With no handler it is the floor a projector cannot beat.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  total: number,
  handle: (batch: Batch) => Promise<void> = async () => undefined,
): Promise<Pass> {
  const started = performance.now();
  let firstRecordAt: number | undefined;
  let seen = 0;
  const consumer = kafka.consumer({
    groupId: `bench.reader.${randomUUID().slice(0, 8)}`,
    readUncommitted: false,
  });
  try {
    const done = new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      void consumer
        .connect()
        .then(() => consumer.subscribe({ topic, fromBeginning: true }))
        .then(() =>
          consumer.run({
            eachBatch: async ({ batch }) => {
              firstRecordAt ??= performance.now();
              await handle(batch);
              seen += batch.messages.length;
              if (seen >= total) resolve();
            },
          }),
        )
        .catch(reject);
    });
    await done;
    const ended = performance.now();
    return { ms: ended - started, startupMs: (firstRecordAt ?? ended) - started };
  } finally {
    await consumer.disconnect();
  }
}

/** Decodes every record as the projector does (registry lookups, Avro, envelope), writing nothing. */
export function decodingHandler(registryUrl: string): (batch: Batch) => Promise<void> {
  const decode = avroRecordDecoder(AvroEventCodec.forRegistry(registryUrl));
  return async (batch) => {
    for (const message of batch.messages)
      await decode(toProjectionRecord(batch.topic, batch.partition, message));
  };
}
