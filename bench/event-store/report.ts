import {
  formatLoad,
  formatNumber,
  formatRatio,
  machineFactsMarkdown,
  markdownTable,
  median,
  summarize,
  type MachineFacts,
} from '../lib';
import { OTHER_EVENTS_EACH, OTHER_STREAMS, type LoadCase } from './aggregate-load';
import type { BenchSettings } from './settings';
import type { ThroughputPoint, Variant } from './throughput-rounds';

const withRange = (values: readonly number[], digits: number) => {
  const { median: middle, min, max } = summarize(values);
  return `${formatNumber(middle, digits)} (${formatNumber(min, digits)}–${formatNumber(max, digits)})`;
};

/** Each round's variant divided by the same round's baseline: neighbours in time share the machine's mood. */
const pairedRatio = (point: ThroughputPoint, variant: Variant) =>
  formatRatio(median(point.perRound[variant].map((value, round) => value / point.perRound.pgbench[round])));

export function throughputTable(points: readonly ThroughputPoint[]): string {
  const header = [
    'Concurrency',
    'pgbench INSERT, events/s',
    'appendToStream, events/s',
    'append / pgbench',
    'handleCommand, events/s',
    'command / pgbench',
  ];
  const rows = points.map((point) => [
    point.concurrency,
    withRange(point.perRound.pgbench, 0),
    withRange(point.perRound.store, 0),
    pairedRatio(point, 'store'),
    withRange(point.perRound.command, 0),
    pairedRatio(point, 'command'),
  ]);
  return markdownTable(
    header,
    rows,
    header.map(() => true),
  );
}

export function loadTable(cases: readonly LoadCase[]): string {
  const baseline = cases[0].milliseconds.median;
  const header = ['Account stream', 'Events', 'Events folded', 'Median load, ms', 'Min–max, ms', 'Speed-up'];
  const rows = cases.map((loadCase) => [
    loadCase.name,
    formatNumber(loadCase.streamLength, 0),
    formatNumber(loadCase.eventsFolded, 0),
    formatNumber(loadCase.milliseconds.median, 2),
    `${formatNumber(loadCase.milliseconds.min, 2)}–${formatNumber(loadCase.milliseconds.max, 2)}`,
    formatRatio(baseline / loadCase.milliseconds.median),
  ]);
  return markdownTable(header, rows, [false, true, true, true, true, true]);
}

export function renderReport(
  facts: MachineFacts,
  loadAtEnd: readonly number[],
  settings: BenchSettings,
  points: readonly ThroughputPoint[],
  cases: readonly LoadCase[],
): string {
  return `# Event store benchmarks

${machineFactsMarkdown(facts)}
- Load average at the end (1/5/15 min): ${formatLoad(loadAtEnd)}
- Command: \`npm run bench:event-store\`; ${settings.rounds} rounds of ${settings.seconds} s per point

## Append throughput

One event per command, each worker on its own stream, closed loop. Cells: median over rounds (min–max).
Ratios: median of each round's value divided by the same round's pgbench value. The baseline is
\`pgbench -n -M extended -c N -j min(N,2)\` running an autocommitted single-row INSERT of the same jsonb
payload and metadata into a table with an identity key and no further index or trigger. \`appendToStream\`
writes the event at the worker's known expected version; \`handleCommand\` is the service's command path
(load with snapshots every ${settings.snapshotEvery} events, decide a deposit, append).

${throughputTable(points)}

## Aggregate load time

\`loadAggregate\` of one account (opened, then deposits), ${settings.loads} timed loads per case after two
warm-up loads, interleaved, each after a full garbage collection. The table also holds
${formatNumber(OTHER_STREAMS * OTHER_EVENTS_EACH, 0)} events of ${OTHER_STREAMS} other accounts, so reads use the stream index as they do in
production. Each measured stream was written in batches and sits in adjacent pages. Speed-up: median
load without a snapshot divided by the case's median.

${loadTable(cases)}
`;
}
