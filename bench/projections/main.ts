import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { AvroEventCodec } from '@ledger/messaging';
import { ensureProjectionSchema } from '@ledger/projections';
import { ensureReadModelSchema } from '@ledger/read-models';
import { createTestDatabase } from '@ledger/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { machineFacts, writeMarkdown } from '../lib';
import { decodingHandler, readTopic, type Pass } from './consumers';
import { withCpu } from '../lib/cpu';
import { projectTopic } from './projector-run';
import { renderReport, type Rebuild, type Round } from './report';
import { readSettings } from './settings';
import { publishTopic, type EventTopic, type TopicKind } from './topic';
import { decodeTopic, writeOnly } from './writes-only';

const progress = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (pass: Pass) => `${(pass.ms / 1000).toFixed(1)} s`;

/** Measures, prints the report as markdown and writes it to the results file. */
async function main(): Promise<void> {
  const settings = readSettings();
  const facts = await machineFacts(settings.adminUrl);
  const database = await createTestDatabase('bench_projections');
  // Idle connections stay open, so every backend a pass uses is alive when its CPU is read.
  const pool = new Pool({ connectionString: database.url, max: 10, idleTimeoutMillis: 0 });
  // Dropping the database at the end terminates whatever connection is left: not an error of the run.
  pool.on('error', () => undefined);
  const kafka = new Kafka({
    clientId: `bench-projections-${randomUUID().slice(0, 8)}`,
    brokers: settings.brokers,
    logLevel: logLevel.ERROR,
  });
  const admin = kafka.admin();
  const codec = AvroEventCodec.forRegistry(settings.registryUrl);
  const topics: EventTopic[] = [];
  progress(`database ${database.name}`);
  try {
    await ensureProjectionSchema(pool);
    await ensureReadModelSchema(pool);
    await admin.connect();
    const publish = async (kind: TopicKind, events: number, seed: number) => {
      progress(`publishing ${events.toLocaleString('en-US')} ${kind} events`);
      const topic = await publishTopic(kafka, admin, codec, { ...settings, kind, events, seed }, progress);
      topics.push(topic);
      return topic;
    };

    const topic = await publish('account', settings.events, 1);
    const transferTopic = await publish('transfer', settings.events, 3);
    // Decoded once, untimed: the input of the writes-only floor.
    const decoded = await decodeTopic(kafka, topic, settings.registryUrl);
    const transferDecoded = await decodeTopic(kafka, transferTopic, settings.registryUrl);
    const variants = {
      kafkajs: () => readTopic(kafka, topic.name, topic.events),
      decode: () => readTopic(kafka, topic.name, topic.events, decodingHandler(settings.registryUrl)),
      projector: () => projectTopic(kafka, admin, pool, topic, settings),
      writes: () => writeOnly(pool, topic, decoded, settings),
      transferKafkajs: () => readTopic(kafka, transferTopic.name, transferTopic.events),
      transferProjector: () => projectTopic(kafka, admin, pool, transferTopic, settings),
      transferWrites: () => writeOnly(pool, transferTopic, transferDecoded, settings),
    };
    const rounds: Round[] = [];
    for (let round = 0; round < settings.rounds; round++) {
      // Variants take turns going first, so a slow minute does not always hit the same one.
      const order = (
        [
          'kafkajs',
          'decode',
          'projector',
          'writes',
          'transferKafkajs',
          'transferProjector',
          'transferWrites',
        ] as const
      ).map((_, i, all) => all[(i + round) % all.length]);
      const passes: { -readonly [K in keyof Round]?: Pass } = {};
      for (const variant of order) {
        passes[variant] = await withCpu(variants[variant]);
        progress(`round ${round + 1} ${variant}: ${seconds(passes[variant])}`);
      }
      rounds.push(passes as Round);
    }

    let rebuild: Rebuild | undefined;
    if (settings.rebuildEvents > 0) {
      const large = await publish('account', settings.rebuildEvents, 2);
      const kafkajs = await readTopic(kafka, large.name, large.events);
      progress(`rebuild kafkajs: ${seconds(kafkajs)}`);
      const projector = await projectTopic(kafka, admin, pool, large, settings);
      progress(`rebuild projector: ${seconds(projector)}`);
      rebuild = { events: large.events, kafkajs, projector };
    }

    const report = renderReport(facts, loadavg(), settings, topic, transferTopic, rounds, rebuild);
    process.stdout.write(report);
    await writeMarkdown(settings.resultsPath, report);
    progress(`written to ${settings.resultsPath}`);
  } finally {
    if (topics.length > 0)
      await admin.deleteTopics({ topics: topics.map((each) => each.name) }).catch(() => undefined);
    await admin.disconnect();
    await pool.end();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
