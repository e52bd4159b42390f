import { performance } from 'node:perf_hooks';
import { AvroEventCodec } from '@ledger/messaging';
import {
  avroRecordDecoder,
  runWrites,
  toProjectionRecord,
  type DecodedEvent,
  type Projection,
} from '@ledger/projections';
import { withTransaction } from '@ledger/postgres';
import { accountsProjection, transfersProjection } from '@ledger/read-models';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { readTopic, type Pass } from './consumers';
import { verifyReadModel } from './projector-run';
import type { BenchSettings } from './settings';
import type { EventTopic } from './topic';

const TABLES = {
  account: 'account_summaries, account_statement_entries, account_history',
  transfer: 'transfers, transfer_history',
} as const;

/** A topic's events, decoded as the projector decodes them, per partition in offset order. */
export type DecodedTopic = ReadonlyMap<number, readonly DecodedEvent[]>;

/** Reads and decodes the whole topic once, before any timing: the input of `writeOnly`. */
export async function decodeTopic(
  kafka: Kafka,
  topic: EventTopic,
  registryUrl: string,
): Promise<DecodedTopic> {
  const decode = avroRecordDecoder(AvroEventCodec.forRegistry(registryUrl));
  const partitions = new Map<number, DecodedEvent[]>();
  await readTopic(kafka, topic.name, topic.events, async (batch) => {
    const events = partitions.get(batch.partition) ?? [];
    partitions.set(batch.partition, events);
    for (const message of batch.messages)
      events.push(await decode(toProjectionRecord(batch.topic, batch.partition, message)));
  });
  return partitions;
}

/**
 * The projection's own writes for the same events, and nothing else: no Kafka, no decoding, none of the
 * runtime's statements (checkpoints, positions, parked streams). Chunks of the projector's batch size, one
 * transaction each, partitions side by side as many at a time as the projector consumes. It is the floor of
 * the read model on this Postgres: a projector cannot be faster than writing what it writes.
 */
export async function writeOnly(
  pool: Pool,
  topic: EventTopic,
  decoded: DecodedTopic,
  settings: BenchSettings,
): Promise<Pass> {
  await pool.query(`truncate ${TABLES[topic.kind]}`);
  const projection: Projection =
    topic.kind === 'account'
      ? accountsProjection({ name: 'bench.writes-only', topics: [topic.name] })
      : transfersProjection({ name: 'bench.writes-only', topics: [topic.name] });
  const queue = [...decoded.values()];
  const started = performance.now();
  const worker = async () => {
    for (let events = queue.shift(); events; events = queue.shift()) {
      for (let at = 0; at < events.length; at += settings.maxBatchSize) {
        const chunk = events.slice(at, at + settings.maxBatchSize);
        await withTransaction(pool, async (tx) => runWrites(tx, (await projection.apply(tx, chunk)) ?? []));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, queue.length) }, worker));
  const ms = performance.now() - started;
  await verifyReadModel(pool, topic);
  return { ms, startupMs: 0 };
}
