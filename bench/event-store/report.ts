import {
  formatLoad,
  formatNumber,
  formatRatio,
  machineFactsMarkdown,
  markdownTable,
  median,
  summarize,
  type MachineFacts,
  formatMedianRange,
} from '../lib';
import { OTHER_EVENTS_EACH, OTHER_STREAMS, type LoadCase } from './aggregate-load';
import type { BenchSettings } from './settings';
import type { ThroughputPoint, Variant } from './throughput-rounds';
import { WAKE_MODES, type WakePoint } from './wake-latency';

/** Median of each round's `a` divided by the same round's `b`: neighbours in time share the machine's mood. */
const pairedRatio = (point: ThroughputPoint, a: Variant, b: Variant) =>
  formatRatio(median(point.perRound[a].map((value, round) => value / point.perRound[b][round])));

const loadRange = (values: readonly number[]) => {
  const { min, max } = summarize(values);
  return `${formatNumber(min, 1)}–${formatNumber(max, 1)}`;
};

export function throughputTable(points: readonly ThroughputPoint[]): string {
  const header = [
    'Concurrency',
    'pgbench INSERT',
    'appendToStream',
    'same, NOTIFY trigger',
    'previous append',
    'handleCommand',
    'same, no state cache',
    'previous command',
    'Load (1 min)',
  ];
  const rows = points.map((point) => [
    point.concurrency,
    formatMedianRange(point.perRound.pgbench, 0),
    formatMedianRange(point.perRound.store, 0),
    formatMedianRange(point.perRound.storeTrigger, 0),
    formatMedianRange(point.perRound.previousStore, 0),
    formatMedianRange(point.perRound.command, 0),
    formatMedianRange(point.perRound.commandUncached, 0),
    formatMedianRange(point.perRound.previousCommand, 0),
    loadRange(point.load),
  ]);
  return markdownTable(
    header,
    rows,
    header.map(() => true),
  );
}

export function ratioTable(points: readonly ThroughputPoint[]): string {
  const header = [
    'Concurrency',
    'append / pgbench',
    'previous append / pgbench',
    'append / previous',
    'NOTIFY trigger / throttled',
    'command / pgbench',
    'command / no state cache',
    'previous command / pgbench',
    'command / previous',
  ];
  const rows = points.map((point) => [
    point.concurrency,
    pairedRatio(point, 'store', 'pgbench'),
    pairedRatio(point, 'previousStore', 'pgbench'),
    pairedRatio(point, 'store', 'previousStore'),
    pairedRatio(point, 'storeTrigger', 'store'),
    pairedRatio(point, 'command', 'pgbench'),
    pairedRatio(point, 'command', 'commandUncached'),
    pairedRatio(point, 'previousCommand', 'pgbench'),
    pairedRatio(point, 'command', 'previousCommand'),
  ]);
  return markdownTable(
    header,
    rows,
    header.map(() => true),
  );
}

export function wakeTable(points: readonly WakePoint[]): string {
  const header = [
    'Load',
    'Wake-up',
    'Appends/s',
    'vs throttled',
    'Latency p50, ms',
    'Latency p99, ms',
    'Tail reads/s',
    'Load (1 min)',
  ];
  const rows = points.flatMap((point) =>
    WAKE_MODES.map((mode) => {
      const samples = point.perRound[mode];
      const perSecond = samples.map((sample) => sample.perSecond);
      const vsThrottled = median(
        samples.map((sample, round) => sample.perSecond / point.perRound.throttled[round].perSecond),
      );
      return [
        point.load.name,
        mode,
        formatMedianRange(perSecond, 0),
        formatRatio(vsThrottled),
        formatMedianRange(
          samples.map((sample) => sample.p50),
          1,
        ),
        formatMedianRange(
          samples.map((sample) => sample.p99),
          1,
        ),
        formatNumber(median(samples.map((sample) => sample.readsPerSecond)), 0),
        loadRange(samples.map((sample) => sample.load1)),
      ];
    }),
  );
  return markdownTable(header, rows, [false, false, true, true, true, true, true, true]);
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
  wake: readonly WakePoint[],
): string {
  return `# Event store benchmarks

${machineFactsMarkdown(facts)}
- Load average at the end (1/5/15 min): ${formatLoad(loadAtEnd)}
- Command: \`npm run bench:event-store\`; ${settings.rounds} rounds of ${settings.seconds} s per point

## Append throughput

One event per command, each worker on its own stream, closed loop. Cells: events/s, median over rounds
(min–max); the load column is the 1-minute load average at the end of each measurement at that level
(2 CPUs: above 2, other work competed). Ratios: median of each round's value divided by the same round's
other value. The baseline is \`pgbench -n -M extended -c N -j min(N,2)\` running an autocommitted
single-row INSERT of the same jsonb payload and metadata into a table with an identity key and no further
index or trigger. \`appendToStream\` is one autocommitted call of \`append_to_stream\` at the worker's known
expected version, tails woken by the throttled NOTIFY after commit; "same, NOTIFY trigger" replaces that
with the former per-append NOTIFY trigger (the A/B of the wake-up). \`handleCommand\` is the service's
command path with its state cache: a deposit decided on the cached state and appended, one statement
(snapshots every ${settings.snapshotEvery} events); "same, no state cache" loads the snapshot and the
events after it in one query before deciding, two statements. "previous" is the write path before \`append_to_stream\` in the same run
(bench/event-store/previous-path.ts): BEGIN, lock, head read, insert, COMMIT with the trigger, and a
two-statement load.

${throughputTable(points)}

${ratioTable(points)}

## Waking the tail

A tail (\`subscribeToAll\`, as the relay runs it) in one store, writers in another, each append one
event on the writer's own stream; ${settings.rounds} rounds of ${settings.seconds} s, modes interleaved.
Latency: from the append's acknowledgement to the writer until the tail's \`onEvents\` received it, same
process clock. trigger: a NOTIFY trigger in every append transaction; throttled: the writer's own NOTIFY
after commit, at most one per 5 ms per store (what the store does now); poll: no NOTIFY, the tail reads
every 10 ms (the floor of an adaptive poll). Tail reads/s: reads that caught up, per second, while the
load ran.

${wakeTable(wake)}

## Aggregate load time

\`loadAggregate\` of one account (opened, then deposits), ${settings.loads} timed loads per case after two
warm-up loads, interleaved, each after a full garbage collection. The table also holds
${formatNumber(OTHER_STREAMS * OTHER_EVENTS_EACH, 0)} events of ${OTHER_STREAMS} other accounts, so reads use the stream index as they do in
production. Each measured stream was written in batches and sits in adjacent pages. Speed-up: median
load without a snapshot divided by the case's median.

${loadTable(cases)}
`;
}
