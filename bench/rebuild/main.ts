import { randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { AvroEventCodec } from '@ledger/messaging';
import { avroRecordDecoder, ensureProjectionSchema, startProjector } from '@ledger/projections';
import {
  activeVersion,
  ensureReadModelSchema,
  liveProjectionOf,
  PROJECTIONS,
  runRebuild,
  type RebuildDependencies,
} from '@ledger/read-models';
import { createTestDatabase } from '@ledger/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { createProgress } from '../../apps/ops-cli/src/progress';
import { machineFacts, writeMarkdown } from '../lib';
import { decodingHandler, readTopic } from '../projections/consumers';
import { postgresWriteFloor } from './floors';
import { startQueryLoad, statementCounts } from './query-load';
import { renderReport, type Floors, type RebuildPass } from './report';
import { readSettings, type RebuildBenchSettings } from './settings';
import { publishAccountEvents } from './topic';

// Topics and consumer groups of their own: the read-model names follow KAFKA_TOPIC_PREFIX.
process.env.KAFKA_TOPIC_PREFIX = `bench-rebuild-${randomBytes(4).toString('hex')}.`;
const progress = (line: string) => process.stderr.write(`${line}\n`);

/** One `ops-cli projections rebuild accounts`, timed, with the CLI's progress output. */
async function rebuild(deps: RebuildDependencies, settings: RebuildBenchSettings, label: string) {
  let bar: ReturnType<typeof createProgress> | undefined;
  let freezeStarted: number | undefined;
  let freezeMs = 0;
  const started = performance.now();
  const result = await runRebuild(deps, {
    model: 'accounts',
    mode: settings.mode,
    keep: false,
    graceMs: 0,
    lagBound: 0,
    freezeTimeoutMs: 30_000,
    pollMs: 1_000,
    dryRun: false,
    onProgress: (phase, figures) => {
      if (phase === 'swapped' && freezeStarted !== undefined) freezeMs = performance.now() - freezeStarted;
      bar ??= createProgress(label, figures.eventsTotal, { tty: false, remaining: 'lag' });
      bar.update(figures.eventsApplied, figures.eventsTotal);
    },
    onStep: (message) => {
      if (message.startsWith('freezing')) freezeStarted = performance.now();
      progress(`${label}: ${message}`);
    },
  });
  bar?.stop();
  return { ms: performance.now() - started, freezeMs, version: result.plan.version };
}

/** Measures, prints the report as markdown and writes it to the results file. */
async function main(): Promise<void> {
  const settings = readSettings();
  const facts = await machineFacts(settings.adminUrl);
  const database = await createTestDatabase('bench_rebuild');
  const pool = new Pool({ connectionString: database.url, max: 16 });
  const queryPool = new Pool({ connectionString: database.url, max: settings.queryWorkers + 1 });
  const kafka = new Kafka({
    clientId: `bench-rebuild-${randomUUID().slice(0, 8)}`,
    brokers: settings.brokers,
    logLevel: logLevel.ERROR,
  });
  const admin = kafka.admin();
  const codec = AvroEventCodec.forRegistry(settings.registryUrl);
  const topic = PROJECTIONS.accounts.topics[0]!;
  progress(`database ${database.name}, topic ${topic}`);
  try {
    await ensureProjectionSchema(pool);
    await ensureReadModelSchema(pool);
    await admin.connect();
    progress(`publishing ${settings.events.toLocaleString('en-US')} account events`);
    const events = await publishAccountEvents(kafka, admin, codec, topic, settings, progress);

    const kafkajs = await readTopic(kafka, topic, events);
    progress(`kafkajs consumer, no-op: ${(kafkajs.ms / 1000).toFixed(1)} s`);
    const decoding = await readTopic(kafka, topic, events, decodingHandler(settings.registryUrl));
    progress(`kafkajs consumer, Avro decode only: ${(decoding.ms / 1000).toFixed(1)} s`);
    const deps: RebuildDependencies = { pool, kafka, admin, decode: avroRecordDecoder(codec) };

    // The first build fills the live tables (nothing to serve yet); the second runs under queries.
    const initial = await rebuild(deps, settings, 'initial build');
    const writesMs = await postgresWriteFloor(pool);
    progress(`Postgres alone, the built rows: ${(writesMs / 1000).toFixed(1)} s`);
    const live = await startProjector({
      kafka,
      pool,
      projection: liveProjectionOf('accounts', await activeVersion(pool, 'accounts')),
      decode: avroRecordDecoder(codec),
    });
    const expected = await statementCounts(pool);
    const load = startQueryLoad(queryPool, expected, settings.queryWorkers);
    let underLoad: Awaited<ReturnType<typeof rebuild>>;
    try {
      underLoad = await rebuild(deps, settings, 'rebuild under queries');
    } finally {
      await live.stop();
    }
    const queries = await load.stop();
    const after = await statementCounts(pool);
    const same = after.size === expected.size && [...expected].every(([id, n]) => after.get(id) === n);
    if (!same) throw new Error('the rebuilt read model differs from the one it replaced');

    const passes: RebuildPass[] = [
      { label: 'initial build (no live version)', ms: initial.ms, freezeMs: initial.freezeMs },
      { label: 'rebuild under query load', ms: underLoad.ms, freezeMs: underLoad.freezeMs },
    ];
    const floors: Floors = { decodeMs: decoding.ms, writesMs };
    const report = renderReport(facts, loadavg(), settings, events, kafkajs, passes, queries, floors);
    process.stdout.write(report);
    await writeMarkdown(settings.resultsPath, report);
    progress(`written to ${settings.resultsPath}`);
  } finally {
    await admin
      .deleteTopics({
        topics: (await admin.listTopics()).filter((name) => name.startsWith(process.env.KAFKA_TOPIC_PREFIX!)),
      })
      .catch(() => undefined);
    await admin.disconnect();
    await queryPool.end();
    await pool.end();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
