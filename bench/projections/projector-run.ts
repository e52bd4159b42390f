import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AvroEventCodec } from '@ledger/messaging';
import { avroRecordDecoder } from '@ledger/projections';
import { ensureProjectionTopics, startProjector } from '@ledger/projections';
import { accountsProjection } from '@ledger/read-models';
import type { Admin, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { Pass } from './consumers';
import type { BenchSettings } from './settings';
import type { AccountTopic } from './topic';

/**
 * Rebuilds the accounts read model from a topic with the real projector (runtime, Avro decoder,
 * set-based projection) under a new consumer group, from empty tables, and checks the result.
 */
export async function projectTopic(
  kafka: Kafka,
  admin: Admin,
  pool: Pool,
  topic: AccountTopic,
  settings: BenchSettings,
): Promise<Pass> {
  await pool.query(
    'truncate account_summaries, account_statement_entries, projection_checkpoints, projection_positions',
  );
  const name = `bench.projector.${randomUUID().slice(0, 8)}`;
  const created = await ensureProjectionTopics(admin, name, { retryLevels: 1, partitions: 1 });
  const ends = await admin.fetchTopicOffsets(topic.name);
  try {
    const started = performance.now();
    let firstWriteAt: number | undefined;
    const projector = await startProjector({
      kafka,
      pool,
      projection: accountsProjection({ name, topics: [topic.name] }),
      decode: avroRecordDecoder(AvroEventCodec.forRegistry(settings.registryUrl)),
      retry: { levels: 1, delaysMs: [1_000], attemptsPerEvent: 1 },
      maxBatchSize: settings.maxBatchSize,
      partitionsConsumedConcurrently: settings.concurrency,
    });
    let ended: number;
    try {
      for (;;) {
        const { rows } = await pool.query<{ partition: number; offset: string }>(
          'select partition, "offset" from projection_positions where projection = $1',
          [name],
        );
        if (rows.length > 0) firstWriteAt ??= performance.now();
        const processed = new Map(rows.map((row) => [row.partition, BigInt(row.offset) + 1n]));
        if (ends.every((end) => (processed.get(end.partition) ?? 0n) >= BigInt(end.high))) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      ended = performance.now();
    } finally {
      // Not timed: leaving the group waits for the consumer's pending fetch.
      await projector.stop();
    }
    await verify(pool, topic);
    return { ms: ended - started, startupMs: (firstWriteAt ?? ended) - started };
  } finally {
    await admin.deleteTopics({ topics: created }).catch(() => undefined);
  }
}

async function verify(pool: Pool, topic: AccountTopic): Promise<void> {
  const { rows } = await pool.query<{ accounts: string; entries: string; balance: string }>(
    `select (select count(*) from account_summaries) as accounts,
            (select count(*) from account_statement_entries) as entries,
            (select coalesce(sum(balance), 0) from account_summaries) as balance`,
  );
  const actual = {
    accounts: Number(rows[0].accounts),
    entries: Number(rows[0].entries),
    balance: Number(rows[0].balance),
  };
  const expected = { accounts: topic.accounts, entries: topic.statementEntries, balance: topic.totalBalance };
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(
      `read model differs from the topic: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`,
    );
  }
}
