// One consumer of the low-rate benchmark, alone in its process so /proc/<pid>/stat counts only its CPU:
// a no-op kafkajs consumer (the floor), the transfer saga (a reactor that skips account events other than transfer steps by their header) or
// the accounts projector, both on the projection runtime as the apps run it (Prometheus metrics on).
//   node --import tsx bench/projections/low-rate-consumer.ts   (started by low-rate.ts, not by hand)
import { transferSagaReactor } from '@ledger/application';
import { PostgresEventStore } from '@ledger/event-store';
import { AvroEventCodec } from '@ledger/messaging';
import { avroRecordDecoder, ensureProjectionTopics, startProjector } from '@ledger/projections';
import { accountsProjection } from '@ledger/read-models';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { Registry } from 'prom-client';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

async function main(): Promise<void> {
  const kind = required('BENCH_CONSUMER');
  const topic = required('BENCH_TOPIC');
  const name = required('BENCH_GROUP');
  const databaseUrl = required('DATABASE_URL');
  const kafka = new Kafka({
    clientId: name,
    brokers: required('KAFKA_BROKERS').split(','),
    logLevel: logLevel.ERROR,
  });
  if (kind === 'noop') {
    // The floor: a kafkajs consumer that does nothing, committing after each batch (kafkajs's default).
    const consumer = kafka.consumer({ groupId: name, readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachBatch: async () => undefined });
    process.stdout.write('ready\n');
    process.once('SIGTERM', () => void consumer.disconnect().finally(() => process.exit(0)));
    return;
  }
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const store = new PostgresEventStore({ connectionString: databaseUrl, poolSize: 2 });
  const projection =
    kind === 'saga'
      ? transferSagaReactor(store, { name, topics: [topic] })
      : accountsProjection({ name, topics: [topic] });
  const admin = kafka.admin();
  await admin.connect();
  await ensureProjectionTopics(admin, name, { retryLevels: 1, partitions: 1 });
  await admin.disconnect();
  const projector = await startProjector({
    kafka,
    pool,
    projection,
    decode: avroRecordDecoder(AvroEventCodec.forRegistry(required('SCHEMA_REGISTRY_URL'))),
    retry: { levels: 1, delaysMs: [1_000], attemptsPerEvent: 1 },
    registry: new Registry(),
  });
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void projector
      .stop()
      .then(() => Promise.all([pool.end(), store.close()]))
      .finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
