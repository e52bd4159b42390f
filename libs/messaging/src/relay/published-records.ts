import { createHash, randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@ledger/event-store';
import type { Kafka } from 'kafkajs';
import type { EventEncoder } from './event-records';
import { RelayHeaders } from './headers';

/** Where one record carrying an event id sits, and the digest of its value. */
export interface PublishedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  payloadDigest: string;
}

export const payloadDigest = (value: Buffer | null): string =>
  value === null ? 'null' : createHash('sha256').update(value).digest('hex');

/** The digest of the record the relay would publish for `event`: its Avro value, as the relay encodes it. */
export async function expectedPayloadDigest(event: RecordedEvent, encoder: EventEncoder): Promise<string> {
  return payloadDigest(await encoder.encode(event.type, event.schemaVersion, event.data));
}

/**
 * Reads `topics` from their first offset up to the end they had when the read began (the last stable
 * offset: records of a transaction still open are left out), read_committed, with a throwaway consumer group
 * deleted afterwards, and returns every record by event id (a duplicate shows as two).
 * Cost: the whole topics, once; meant for an operator's reconciliation, not a hot path.
 */
export async function readPublishedRecords(
  kafka: Kafka,
  topics: readonly string[],
  options: { timeoutMs?: number } = {},
): Promise<Map<string, PublishedRecord[]>> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `ledger.reconcile.${randomUUID()}`;
  // read_committed: what consumers see; records of aborted relay transactions are not published ones.
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, readUncommitted: false });
  const byEventId = new Map<string, PublishedRecord[]>();
  try {
    const remaining = new Map<string, bigint>();
    for (const topic of topics) {
      for (const partition of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(partition.high) > BigInt(partition.low))
          remaining.set(`${topic}:${partition.partition}`, BigInt(partition.high) - 1n);
      }
    }
    if (remaining.size === 0) return byEventId;
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    // A partition is read once the consumer passed its end, control records included: the last offset of a
    // topic the relay writes in transactions is a commit marker, never a record.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const key = `${payload.topic}:${payload.partition}`;
      const last = remaining.get(key);
      if (last !== undefined && BigInt(payload.lastOffset) >= last) remaining.delete(key);
      if (remaining.size === 0) done();
    });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const key = `${batch.topic}:${batch.partition}`;
        const last = remaining.get(key);
        for (const message of batch.messages) {
          if (last === undefined || BigInt(message.offset) > last) break;
          const eventId =
            message.headers?.[RelayHeaders.eventId]?.toString() ?? `(no event id) ${key}@${message.offset}`;
          const records = byEventId.get(eventId) ?? [];
          records.push({
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            payloadDigest: payloadDigest(message.value),
          });
          byEventId.set(eventId, records);
        }
      },
    });
    const timeoutMs = options.timeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      finished,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`reading ${topics.join(', ')} took longer than ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return byEventId;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
