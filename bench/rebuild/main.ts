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
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Pool } from 'pg';
import { createProgress } from '../../apps/ops-cli/src/progress';
import { machineFacts, writeMarkdown } from '../lib';
import { decodingHandler, readTopic } from '../projections/consumers';
import { withCpu } from '../lib/cpu';
import { postgresWriteFloor } from './floors';
import { startQueryLoad, statementCounts } from './query-load';
import { renderReport, type RebuildPass, type RebuildRound } from './report';
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

/** One round: a fresh database, the no-op and decoding readers, the first build, its floor, a rebuild under load. */
async function measureRound(
  kafka: Kafka,
  admin: Admin,
  codec: AvroEventCodec,
  topic: string,
  events: number,
  settings: RebuildBenchSettings,
): Promise<RebuildRound> {
  const database = await createTestDatabase('bench_rebuild');
  // Idle connections stay open, so every backend a pass uses is alive when its CPU is read.
  const pool = new Pool({ connectionString: database.url, max: 16, idleTimeoutMillis: 0 });
  const queryPool = new Pool({ connectionString: database.url, max: settings.queryWorkers + 1 });
  progress(`database ${database.name}`);
  try {
    await ensureProjectionSchema(pool);
    await ensureReadModelSchema(pool);
    const kafkajs = await withCpu(() => readTopic(kafka, topic, events));
    progress(`kafkajs consumer, no-op: ${(kafkajs.ms / 1000).toFixed(1)} s`);
    const decode = await withCpu(() =>
      readTopic(kafka, topic, events, decodingHandler(settings.registryUrl)),
    );
    progress(`kafkajs consumer, Avro decode only: ${(decode.ms / 1000).toFixed(1)} s`);
    const deps: RebuildDependencies = { pool, kafka, admin, decode: avroRecordDecoder(codec) };

    // The first build fills the live tables (nothing to serve yet); the second runs under queries.
    const initial = await withCpu(() => rebuild(deps, settings, 'initial build'));
    const writes = await withCpu(async () => ({ ms: await postgresWriteFloor(pool) }));
    progress(`Postgres alone, the built rows: ${(writes.ms / 1000).toFixed(1)} s`);
    const live = await startProjector({
      kafka,
      pool,
      projection: liveProjectionOf('accounts', await activeVersion(pool, 'accounts')),
      decode: avroRecordDecoder(codec),
    });
    const expected = await statementCounts(pool);
    const load = startQueryLoad(queryPool, expected, settings.queryWorkers);
    let underLoad: RebuildPass;
    try {
      underLoad = await withCpu(() => rebuild(deps, settings, 'rebuild under queries'));
    } finally {
      await live.stop();
    }
    const queries = await load.stop();
    const after = await statementCounts(pool);
    const same = after.size === expected.size && [...expected].every(([id, n]) => after.get(id) === n);
    if (!same) throw new Error('the rebuilt read model differs from the one it replaced');
    return { kafkajs, decode, initial, writes, underLoad, queries };
  } finally {
    await queryPool.end();
    await pool.end();
    await database.drop();
  }
}

/** Measures, prints the report as markdown and writes it to the results file. */
async function main(): Promise<void> {
  const settings = readSettings();
  const facts = await machineFacts(settings.adminUrl);
  const kafka = new Kafka({
    clientId: `bench-rebuild-${randomUUID().slice(0, 8)}`,
    brokers: settings.brokers,
    logLevel: logLevel.ERROR,
  });
  const admin = kafka.admin();
  const codec = AvroEventCodec.forRegistry(settings.registryUrl);
  const topic = PROJECTIONS.accounts.topics[0]!;
  progress(`topic ${topic}`);
  try {
    await admin.connect();
    progress(`publishing ${settings.events.toLocaleString('en-US')} account events`);
    const events = await publishAccountEvents(kafka, admin, codec, topic, settings, progress);
    const rounds: RebuildRound[] = [];
    for (let round = 1; round <= settings.rounds; round++) {
      progress(`round ${round} of ${settings.rounds}`);
      rounds.push(await measureRound(kafka, admin, codec, topic, events, settings));
    }
    const report = renderReport(facts, loadavg(), settings, events, rounds);
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
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
