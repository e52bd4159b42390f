import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AvroEventCodec } from '@ledger/messaging';
import {
  avroRecordDecoder,
  ensureProjectionTopics,
  projectionPositions,
  startProjector,
} from '@ledger/projections';
import { accountsProjection, transfersProjection } from '@ledger/read-models';
import type { Admin, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { Pass } from './consumers';
import type { BenchSettings } from './settings';
import type { EventTopic } from './topic';

const READ_MODEL = {
  account: {
    projection: accountsProjection,
    tables: 'account_summaries, account_statement_entries, account_history',
    check: `select (select count(*) from account_summaries) as aggregates,
                   (select count(*) from account_statement_entries) as rows,
                   (select coalesce(sum(balance), 0) from account_summaries) as balance`,
  },
  transfer: {
    projection: transfersProjection,
    tables: 'transfers, transfer_history',
    check: `select (select count(*) from transfers) as aggregates,
                   (select count(*) from transfer_history) as rows, 0 as balance`,
  },
} as const;

/**
 * Rebuilds the topic's read model (accounts or transfers) with the real projector (runtime, Avro decoder,
 * set-based projection) under a new consumer group, from empty tables, and checks the result.
 */
export async function projectTopic(
  kafka: Kafka,
  admin: Admin,
  pool: Pool,
  topic: EventTopic,
  settings: BenchSettings,
): Promise<Pass> {
  const model = READ_MODEL[topic.kind];
  await pool.query(`truncate ${model.tables}, projection_checkpoints, projection_positions`);
  const name = `bench.projector.${randomUUID().slice(0, 8)}`;
  const created = await ensureProjectionTopics(admin, name, { retryLevels: 1, partitions: 1 });
  const ends = await admin.fetchTopicOffsets(topic.name);
  try {
    const started = performance.now();
    let firstWriteAt: number | undefined;
    const projector = await startProjector({
      kafka,
      pool,
      projection: model.projection({ name, topics: [topic.name] }),
      decode: avroRecordDecoder(AvroEventCodec.forRegistry(settings.registryUrl)),
      retry: { levels: 1, delaysMs: [1_000], attemptsPerEvent: 1 },
      maxBatchSize: settings.maxBatchSize,
      partitionsConsumedConcurrently: settings.concurrency,
    });
    let ended: number;
    try {
      for (;;) {
        const positions = await projectionPositions(pool, name);
        if (positions.length > 0) firstWriteAt ??= performance.now();
        const processed = new Map(positions.map((row) => [row.partition, row.offset + 1]));
        if (ends.every((end) => (processed.get(end.partition) ?? 0) >= Number(end.high))) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      ended = performance.now();
    } finally {
      // Not timed: leaving the group waits for the consumer's pending fetch.
      await projector.stop();
    }
    await verifyReadModel(pool, topic);
    return { ms: ended - started, startupMs: (firstWriteAt ?? ended) - started };
  } finally {
    await admin.deleteTopics({ topics: created }).catch(() => undefined);
  }
}

/** Throws unless the topic's read model holds its aggregates, rows and total balance. */
export async function verifyReadModel(pool: Pool, topic: EventTopic): Promise<void> {
  const { rows } = await pool.query<{ aggregates: string; rows: string; balance: string }>(
    READ_MODEL[topic.kind].check,
  );
  const actual = {
    aggregates: Number(rows[0]!.aggregates),
    rows: Number(rows[0]!.rows),
    balance: Number(rows[0]!.balance),
  };
  const expected = { aggregates: topic.aggregates, rows: topic.rows, balance: topic.totalBalance };
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(
      `${topic.kind} read model differs from the topic: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`,
    );
  }
}
