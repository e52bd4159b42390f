// The broker's CPU per record for the least Kafka traffic one deposit makes in this system, with no app
// running: raw kafkajs clients doing what the relay and the consumers do, at the same rate as bench:cpu.
// It is the floor under bench:cpu's "kafka" row: no change to the apps can take Kafka below it without
// changing what goes over Kafka.
//   npm run bench:cpu:kafka-floor   (BENCH_RATE records/s, BENCH_RECORDS per round, BENCH_ROUNDS)
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { RELAY_PRODUCER_CONFIG } from '@ledger/messaging';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import {
  envInteger,
  formatLoad,
  machineFacts,
  machineFactsMarkdown,
  markdownTable,
  publishReport,
  runBenchmark,
  formatMedianRange,
} from '../lib';
import { cpuBetween, cpuSnapshot } from '../lib/proc';
import { kafkaPids } from '../lib/stack-pids';

const RATE = envInteger('BENCH_RATE', 50);
const RECORDS = envInteger('BENCH_RECORDS', 1000);
const ROUNDS = envInteger('BENCH_ROUNDS', 3);
const PARTITIONS = 6;
const KEYS = 20;
const RESULTS = process.env.BENCH_RESULTS ?? 'bench/results/cpu-kafka-floor.md';
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((broker) => broker.trim());
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://ledger:ledger@127.0.0.1:5432/ledger';

// A record of the size the relay writes for a deposit: a 64-byte value and ~330 bytes of envelope headers.
const VALUE = Buffer.alloc(64, 7);
const HEADERS = Object.fromEntries(
  [
    'event-id',
    'event-type',
    'stream-id',
    'stream-version',
    'global-position',
    'recorded-at',
    'correlation-id',
  ].map((name) => [name, randomUUID() + randomUUID().slice(0, 8)]),
);

type Pattern = 'idempotent' | 'transactional';
const PATTERNS: Record<Pattern, string> = {
  idempotent: 'idempotent produce, one record per request; 2 groups read_uncommitted',
  transactional:
    'one transaction per record as the relay at this rate (produce, transactional offset commit, commit); 2 groups read_committed',
};

const kafka = new Kafka({
  clientId: `bench-kafka-floor-${randomUUID().slice(0, 8)}`,
  brokers,
  logLevel: logLevel.ERROR,
});
const kafkaCpu = () => cpuSnapshot(kafkaPids());

/**
 * The clients of the system around one account topic: two groups read it (the accounts projector and the
 * saga), each commits its offsets at most once a second as the projection runtime does; three retry
 * consumers long-poll an empty topic (10 s, heartbeat 5 s) as the apps' retry consumers do.
 */
async function startReaders(topic: string, idleTopic: string, readCommitted: boolean) {
  let seen = 0;
  const consumers: Consumer[] = [];
  const start = async (groupId: string, subscribed: string, config: object, count: boolean) => {
    const consumer = kafka.consumer({ groupId, readUncommitted: !readCommitted, ...config });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: subscribed, fromBeginning: true });
    await consumer.run({
      autoCommitInterval: 1000,
      eachBatch: async ({ batch }) => {
        if (count) seen += batch.messages.length;
      },
    });
  };
  const run = randomUUID().slice(0, 8);
  for (const group of ['accounts', 'saga']) await start(`bench.floor.${group}.${run}`, topic, {}, true);
  for (const group of ['accounts', 'saga', 'transfers'])
    await start(
      `bench.floor.${group}.retry.${run}`,
      idleTopic,
      { maxWaitTimeInMs: 10_000, heartbeatInterval: 5_000 },
      false,
    );
  return {
    seen: () => seen,
    stop: () => Promise.all(consumers.map((consumer) => consumer.disconnect())),
  };
}

async function send(producer: Producer, pattern: Pattern, topic: string, i: number, groupId: string) {
  const messages = [{ key: `account-${i % KEYS}`, value: VALUE, headers: HEADERS }];
  if (pattern === 'idempotent') {
    await producer.send({ topic, messages, acks: -1 });
    return;
  }
  const transaction = await producer.transaction();
  try {
    await transaction.sendBatch({ topicMessages: [{ topic, messages }], acks: -1 });
    await transaction.sendOffsets({
      consumerGroupId: groupId,
      topics: [{ topic: `${topic}.anchor`, partitions: [{ partition: 0, offset: String(i + 1) }] }],
    });
    await transaction.commit();
  } catch (error) {
    await transaction.abort().catch(() => undefined);
    throw error;
  }
}

/** Kafka CPU ms per record for one pattern: RECORDS at RATE/s, until both groups have read every record. */
async function measure(pattern: Pattern): Promise<{ perRecord: number; restPercent: number }> {
  const admin = kafka.admin();
  await admin.connect();
  const run = randomUUID().slice(0, 8);
  const topic = `bench.floor.${pattern}.${run}`;
  const idleTopic = `${topic}.retry`;
  await admin.createTopics({
    topics: [
      { topic, numPartitions: PARTITIONS },
      { topic: idleTopic, numPartitions: 1 },
      { topic: `${topic}.anchor`, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
  const producer =
    pattern === 'idempotent'
      ? kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
      : kafka.producer({ ...RELAY_PRODUCER_CONFIG, transactionalId: `bench.floor.${run}` });
  const readers = await startReaders(topic, idleTopic, pattern === 'transactional');
  try {
    await producer.connect();
    for (let i = 0; i < 50; i++) await send(producer, pattern, topic, i, `bench.floor.relay.${run}`); // warm-up
    await sleep(5_000);
    // At rest with every client connected: the same clients, no records.
    const restBefore = kafkaCpu();
    await sleep(10_000);
    const restPercent = (100 * cpuBetween(restBefore, kafkaCpu())) / 10;

    const before = kafkaCpu();
    const started = performance.now();
    for (let i = 0; i < RECORDS; i++) {
      const wait = started + (i * 1000) / RATE - performance.now();
      if (wait > 0) await sleep(wait);
      await send(producer, pattern, topic, 50 + i, `bench.floor.relay.${run}`);
    }
    const expected = 2 * (50 + RECORDS);
    const deadline = Date.now() + 60_000;
    while (readers.seen() < expected) {
      if (Date.now() > deadline) throw new Error(`readers saw ${readers.seen()} of ${expected} records`);
      await sleep(20);
    }
    return { perRecord: (1000 * cpuBetween(before, kafkaCpu())) / RECORDS, restPercent };
  } finally {
    await producer.disconnect();
    await readers.stop();
    await admin.deleteTopics({ topics: [topic, idleTopic, `${topic}.anchor`] }).catch(() => undefined);
    await admin.disconnect();
  }
}

runBenchmark(async () => {
  if (kafkaPids().length === 0)
    throw new Error('no broker pid under the stack directory: start the stack first');
  const facts = await machineFacts(databaseUrl);
  const results: Record<Pattern, Array<{ perRecord: number; restPercent: number }>> = {
    idempotent: [],
    transactional: [],
  };
  for (let round = 0; round < ROUNDS; round++) {
    // Patterns take turns going first.
    for (const pattern of (round % 2 === 0
      ? ['transactional', 'idempotent']
      : ['idempotent', 'transactional']) as Pattern[]) {
      const result = await measure(pattern);
      results[pattern].push(result);
      process.stderr.write(
        `round ${round + 1} ${pattern}: ${result.perRecord.toFixed(2)} ms per record, at rest ${result.restPercent.toFixed(2)} %\n`,
      );
    }
  }
  const report = [
    '# Kafka’s CPU floor per deposit',
    '',
    machineFactsMarkdown(facts),
    `- Load average at the end (1/5/15 min): ${formatLoad(loadavg())}`,
    `- Load: ${RECORDS} records per round at ${RATE}/s (open loop, sent one after another), keys over ${KEYS} accounts, ${PARTITIONS} partitions, ${ROUNDS} rounds; each round until both reading groups have every record`,
    '',
    'The broker’s CPU (user + system, all threads, from /proc) while raw kafkajs clients, no app, make the',
    'Kafka traffic one deposit makes in the system at the rate of `bench:cpu`: one record of the relay’s',
    'size (64-byte value, ~330 bytes of headers) read by two consumer groups (the accounts projector and the',
    'saga) that commit offsets at most once a second, beside three idle retry consumers long-polling. The',
    'transactional row is the relay’s pattern at this rate (one event per transaction); the idempotent row',
    'what the same records cost without transactions. At rest: the same clients connected, no records, 10 s.',
    'Compare with the “kafka” row of [cpu.md](cpu.md).',
    '',
    markdownTable(
      ['pattern', 'broker CPU ms per record, median (min–max)', 'broker CPU at rest, % of a core'],
      (Object.keys(PATTERNS) as Pattern[]).map((pattern) => [
        PATTERNS[pattern],
        formatMedianRange(
          results[pattern].map((r) => r.perRecord),
          2,
        ),
        formatMedianRange(
          results[pattern].map((r) => r.restPercent),
          2,
        ),
      ]),
      [false, true, true],
    ),
    '',
  ].join('\n');
  await publishReport(RESULTS, report);
});
