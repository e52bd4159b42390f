// CPU per event of the consumers at a low rate, where nearly every Kafka batch holds one event and the
// per-batch work (fetch, transaction, offset commit, metrics) is what costs. The transfer saga (which skips
// deposits by their header), the accounts projector (which applies them) and a no-op kafkajs consumer each
// run alone in a child process over the same topic; a fixed number of deposits is published at BENCH_RATE/s, one record per
// send as the relay publishes a lone command's event, and each child's CPU seconds from /proc/<pid>/stat
// before and after (until both groups have committed the last record) are divided by the deposits.
//   npm run bench:projections:low-rate   (BENCH_RATE, BENCH_COMMANDS per round, BENCH_ROUNDS, BENCH_NODE_ARGS)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AvroEventCodec } from '@ledger/messaging';
import { ensureProjectionSchema } from '@ledger/projections';
import { ensureReadModelSchema } from '@ledger/read-models';
import { createTestDatabase } from '@ledger/testing';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { Pool } from 'pg';
import { account, EventLog, relayMessage } from '../../libs/read-models/src/spec-support';
import {
  formatLoad,
  formatNumber,
  machineFacts,
  machineFactsMarkdown,
  markdownTable,
  median,
  writeMarkdown,
  formatMedianRange,
} from '../lib';
import { envInteger } from '../lib/env';
import { cpuSeconds, residentMiB } from '../lib/proc';

const RATE = envInteger('BENCH_RATE', 50);
const COMMANDS = envInteger('BENCH_COMMANDS', 1000);
const ROUNDS = envInteger('BENCH_ROUNDS', 3);
const PARTITIONS = envInteger('BENCH_PARTITIONS', 6);
const ACCOUNTS = 20;
const RESULTS = process.env.BENCH_RESULTS ?? 'bench/results/projections-low-rate.md';
const CONSUMERS = ['noop', 'saga', 'accounts'] as const;
type ConsumerKind = (typeof CONSUMERS)[number];
const LABEL: Record<ConsumerKind, string> = {
  noop: 'kafkajs consumer, no-op (commits per batch)',
  saga: 'transfer saga (skips deposits by header)',
  accounts: 'accounts projector (applies deposits)',
};

const progress = (line: string) => process.stderr.write(`${line}\n`);

interface Child {
  kind: ConsumerKind;
  group: string;
  process: ChildProcess;
}

function startChild(kind: ConsumerKind, topic: string, databaseUrl: string): Promise<Child> {
  const group = `bench.low-rate.${kind}.${randomUUID().slice(0, 8)}`;
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/profiles", profiles the consumers.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const script = join(__dirname, 'low-rate-consumer.ts');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    env: {
      ...process.env,
      BENCH_CONSUMER: kind,
      BENCH_TOPIC: topic,
      BENCH_GROUP: group,
      DATABASE_URL: databaseUrl,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} consumer exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve({ kind, group, process: child });
    });
  });
}

/** Until every child's group has committed the topic's end: the whole load is processed and committed. */
async function untilCommitted(admin: Admin, topic: string, children: Child[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  const ends = await admin.fetchTopicOffsets(topic);
  for (;;) {
    let behind = 0;
    for (const child of children) {
      const [committed] = await admin.fetchOffsets({ groupId: child.group, topics: [topic] });
      for (const end of ends) {
        const offset = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        behind += Math.max(0, Number(end.high) - Math.max(0, Number(offset)));
      }
    }
    if (behind === 0) return;
    if (Date.now() > deadline) throw new Error(`consumers still ${behind} records behind after 120 s`);
    await sleep(100);
  }
}

/** Publishes `count` deposits at RATE/s, one record per send. */
async function publishDeposits(
  producer: Producer,
  topic: string,
  codec: AvroEventCodec,
  log: EventLog,
  accounts: string[],
  count: number,
): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1000) / RATE - performance.now();
    if (wait > 0) await sleep(wait);
    const [event] = log.record(
      account(accounts[i % accounts.length]!).deposited(1, new Date().toISOString()),
    );
    await producer.send({ topic, acks: -1, messages: [await relayMessage(event!, codec)] });
  }
}

async function main(): Promise<void> {
  const facts = await machineFacts(
    process.env.DATABASE_URL ?? 'postgres://ledger:ledger@127.0.0.1:5432/ledger',
  );
  const database = await createTestDatabase('bench_low_rate');
  const pool = new Pool({ connectionString: database.url, max: 2 });
  pool.on('error', () => undefined);
  const kafka = new Kafka({
    clientId: `bench-low-rate-${randomUUID().slice(0, 8)}`,
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    logLevel: logLevel.ERROR,
  });
  const registryUrl = process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
  const codec = AvroEventCodec.forRegistry(registryUrl);
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const topic = `bench.low-rate.${randomUUID().slice(0, 8)}.account-events`;
  const children: Child[] = [];
  try {
    await ensureProjectionSchema(pool);
    await ensureReadModelSchema(pool);
    await admin.connect();
    await producer.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
    const log = new EventLog({ partitions: PARTITIONS });
    const accounts = Array.from({ length: ACCOUNTS }, () => randomUUID());
    const opened = log.record(...accounts.map((id) => account(id).opened(new Date().toISOString())));
    await producer.send({
      topic,
      acks: -1,
      messages: await Promise.all(opened.map((event) => relayMessage(event, codec))),
    });
    for (const kind of CONSUMERS) children.push(await startChild(kind, topic, database.url));
    // Warm-up: joins, schema look-ups, JIT; not measured.
    await publishDeposits(producer, topic, codec, log, accounts, RATE * 2);
    await untilCommitted(admin, topic, children);
    const perEvent = new Map<ConsumerKind, number[]>(CONSUMERS.map((kind) => [kind, []]));
    const resident = new Map<ConsumerKind, number[]>(CONSUMERS.map((kind) => [kind, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      const before = children.map((child) => cpuSeconds(child.process.pid!) ?? 0);
      await publishDeposits(producer, topic, codec, log, accounts, COMMANDS);
      await untilCommitted(admin, topic, children);
      children.forEach((child, index) => {
        const used = (cpuSeconds(child.process.pid!) ?? 0) - before[index]!;
        perEvent.get(child.kind)!.push((used * 1000) / COMMANDS);
        resident.get(child.kind)!.push(Math.round(residentMiB(child.process.pid!) ?? 0));
      });
      progress(
        `round ${round}: ${children.map((c) => `${c.kind} ${formatNumber(perEvent.get(c.kind)!.at(-1)!, 2)} ms`).join(', ')}`,
      );
    }
    const report = [
      '# CPU per event of the consumers at a low rate',
      '',
      machineFactsMarkdown(facts),
      `- Load average at the end (1/5/15 min): ${formatLoad(loadavg())}`,
      `- Command: \`npm run bench:projections:low-rate\`; ${COMMANDS} deposits per round at ${RATE}/s over ${ACCOUNTS} accounts, one record per send, ${ROUNDS} rounds, ${PARTITIONS} partitions`,
      '',
      'Each consumer runs alone in a child process: the saga and the accounts projector on the projection',
      'runtime (defaults of the apps, Prometheus metrics on), the no-op kafkajs consumer as the floor of any',
      'consumer. CPU is user + system seconds from /proc/<pid>/stat over a round, from the first deposit until',
      'every group has committed the last one, divided by the deposits. The machine is shared: take the load',
      'average into account.',
      '',
      markdownTable(
        [
          'consumer',
          'CPU ms per deposit, median (min–max)',
          'ratio to no-op',
          'resident MiB after each round',
        ],
        CONSUMERS.map((kind) => {
          const values = perEvent.get(kind)!;
          return [
            LABEL[kind],
            formatMedianRange(values, 2),
            `${(median(values) / median(perEvent.get('noop')!)).toFixed(2)}×`,
            resident.get(kind)!.join(' → '),
          ];
        }),
        [false, true, true, false],
      ),
      '',
    ].join('\n');
    process.stdout.write(report);
    await writeMarkdown(RESULTS, report);
    progress(`written to ${RESULTS}`);
  } finally {
    for (const child of children) child.process.kill('SIGTERM');
    await Promise.all(
      children.map((child) =>
        new Promise((resolve) => child.process.once('exit', resolve)).catch(() => undefined),
      ),
    );
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await producer.disconnect();
    await admin.disconnect();
    await pool.end();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
