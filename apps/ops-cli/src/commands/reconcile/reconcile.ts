import { streamPage } from '@ledger/event-store';
import { AvroEventCodec, readPublishedRecords, type PublishedRecord } from '@ledger/messaging';
import { PROJECTIONS, RECONCILED_MODELS, type Difference, type ReconciledModel } from '@ledger/read-models';
import type { Command } from 'commander';
import { EXIT, ExitWith, OpsContext, Output, UsageError } from '../../context';
import { compareWithKafka } from './kafka-check';

type ProjectionChoice = keyof typeof RECONCILED_MODELS | 'all';
type KafkaChoice = 'sample' | 'all' | 'off';

interface Options {
  projection: ProjectionChoice;
  kafka: KafkaChoice;
  sampleSize: number;
  graceSeconds: number;
}

/** A stream that differs somewhere: in its read model, on Kafka, or both. */
interface StreamDrift {
  projection: string;
  streamId: string;
  differences: Difference[];
}

export interface ReconcileReport {
  clean: boolean;
  projections: {
    projection: string;
    streams: number;
    pending: number;
    drift: number;
    kafkaChecked: number | null;
  }[];
  drift: StreamDrift[];
}

const PAGE = 1000;

async function allStreams(ctx: OpsContext, model: ReconciledModel): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const page = await streamPage(ctx.pool, {
      afterStreamId: ids.at(-1) ?? '',
      streamType: model.streamType,
      limit: PAGE,
    });
    ids.push(...page);
    if (page.length < PAGE) return ids;
  }
}

function sample<T>(items: readonly T[], size: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, size);
}

async function reconcileModel(
  ctx: OpsContext,
  out: Output,
  model: ReconciledModel,
  options: Options,
  report: ReconcileReport,
) {
  const now = new Date();
  const compare = { now, graceMs: options.graceSeconds * 1000 };
  const streamIds = await allStreams(ctx, model);
  const drift = new Map<string, Difference[]>();
  let pending = 0;
  for (let i = 0; i < streamIds.length; i += PAGE) {
    for (const verdict of await model.check(ctx.pool, streamIds.slice(i, i + PAGE), compare)) {
      if (verdict.state === 'drift') drift.set(verdict.streamId, [...verdict.differences]);
      if (verdict.state === 'pending') pending++;
    }
  }

  let kafkaChecked: number | null = null;
  if (options.kafka !== 'off') {
    const topics = PROJECTIONS[model.name].topics;
    out.detail(`reading ${topics.join(', ')} from the beginning`);
    const published: Map<string, PublishedRecord[]> = await readPublishedRecords(ctx.kafka, topics);
    const encoder = AvroEventCodec.forRegistry(ctx.registryConnection);
    const checked = options.kafka === 'all' ? streamIds : sample(streamIds, options.sampleSize);
    const storedIds = new Set<string>();
    for (const streamId of checked) {
      const events = await ctx.store.readStream(streamId);
      for (const event of events) storedIds.add(event.eventId);
      const differences = await compareWithKafka(events, published, encoder, compare);
      if (differences.length > 0) drift.set(streamId, [...(drift.get(streamId) ?? []), ...differences]);
    }
    if (options.kafka === 'all') recordsNotInStore(published, storedIds, model, drift);
    kafkaChecked = checked.length;
  }

  for (const [streamId, differences] of drift)
    report.drift.push({ projection: model.name, streamId, differences });
  report.projections.push({
    projection: model.name,
    streams: streamIds.length,
    pending,
    drift: drift.size,
    kafkaChecked,
  });
}

/** With every stream checked, a record whose event id the store does not hold is drift of its key's stream. */
function recordsNotInStore(
  published: Map<string, PublishedRecord[]>,
  stored: Set<string>,
  model: ReconciledModel,
  drift: Map<string, Difference[]>,
) {
  for (const [eventId, records] of published) {
    if (stored.has(eventId)) continue;
    for (const record of records) {
      if (record.key && !record.key.startsWith(`${model.streamType}-`)) continue;
      const streamId = record.key ?? '(no key)';
      const differences = drift.get(streamId) ?? [];
      differences.push({
        field: `kafka.${eventId}`,
        expected: 'not published (not in the store)',
        actual: `${record.topic}[${record.partition}]@${record.offset}`,
      });
      drift.set(streamId, differences);
    }
  }
}

function parseOptions(raw: Record<string, string>): Options {
  const projection = raw.projection ?? 'all';
  if (!['accounts', 'transfers', 'all'].includes(projection)) {
    throw new UsageError(`--projection must be accounts, transfers or all, got "${projection}"`);
  }
  const kafka = raw.kafka ?? 'off';
  if (!['sample', 'all', 'off'].includes(kafka))
    throw new UsageError(`--kafka must be sample, all or off, got "${kafka}"`);
  const count = (name: string, value: string | undefined, fallback: number, min: number) => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min)
      throw new UsageError(`--${name} expects an integer ≥ ${min}, got "${value}"`);
    return Number(value);
  };
  return {
    projection: projection as ProjectionChoice,
    kafka: kafka as KafkaChoice,
    sampleSize: count('sample-size', raw.sampleSize, 100, 1),
    graceSeconds: count('grace-seconds', raw.graceSeconds, 10, 0),
  };
}

async function reconcile(ctx: OpsContext, out: Output, raw: Record<string, string>) {
  const options = parseOptions(raw);
  const models =
    options.projection === 'all' ? Object.values(RECONCILED_MODELS) : [RECONCILED_MODELS[options.projection]];
  const report: ReconcileReport = { clean: true, projections: [], drift: [] };
  for (const model of models) await reconcileModel(ctx, out, model, options, report);
  report.clean = report.drift.length === 0;
  out.result(report, () => {
    for (const projection of report.projections) {
      const kafka = projection.kafkaChecked === null ? '' : `, ${projection.kafkaChecked} checked on Kafka`;
      out.info(
        `${projection.projection}: ${projection.streams} streams, ${projection.drift} drift, ${projection.pending} catching up${kafka}`,
      );
    }
    for (const stream of report.drift) {
      out.info(`drift ${stream.projection} ${stream.streamId}:`);
      for (const d of stream.differences)
        out.info(`  ${d.field}: expected ${String(d.expected)}, actual ${String(d.actual)}`);
    }
    out.info(
      report.clean
        ? 'clean: the read models and Kafka match the store'
        : `${report.drift.length} stream(s) drifted`,
    );
  });
  if (!report.clean) throw new ExitWith(EXIT.failed);
}

export function registerReconcile(
  program: Command,
  ctx: () => OpsContext,
  out: (command: Command) => Output,
) {
  program
    .command('reconcile')
    .description('compare each stream of the store with the read models (and Kafka); exit 1 on drift')
    .option('--projection <name>', 'accounts, transfers or all', 'all')
    .option('--kafka <mode>', 'also check Kafka: sample, all or off', 'off')
    .option('--sample-size <n>', 'streams checked on Kafka with --kafka sample', '100')
    .option(
      '--grace-seconds <s>',
      'a read model or Kafka behind an event younger than this is catching up, not drift',
      '10',
    )
    .action(async (options: Record<string, string>, command: Command) =>
      reconcile(ctx(), out(command), options),
    );
}
