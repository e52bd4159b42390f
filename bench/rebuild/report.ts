import {
  formatLoad,
  formatNumber,
  formatRatio,
  machineFactsMarkdown,
  markdownTable,
  median,
  percentile,
  formatMedianRange,
} from '../lib';
import type { MachineFacts } from '../lib';
import { CPU_PER_EVENT_COLUMNS, cpuPerEvent, type CpuUse } from '../lib/cpu';
import type { QueryLoadResult } from './query-load';
import type { RebuildBenchSettings } from './settings';

export interface TimedPass {
  readonly ms: number;
  /** CPU seconds the pass used (this process, Postgres, the broker). */
  readonly cpu?: CpuUse;
}

export interface RebuildPass extends TimedPass {
  /** From freezing the live projector to the swap's commit. */
  readonly freezeMs: number;
}

/** One round, on a fresh database over the same topic. */
export interface RebuildRound {
  readonly kafkajs: TimedPass;
  /** Floor: a kafkajs consumer decoding every record as the rebuild does, writing nothing. */
  readonly decode: TimedPass;
  /** Floor: Postgres alone writing the rows the first build wrote (insert … select into empty copies). */
  readonly writes: TimedPass;
  readonly initial: RebuildPass;
  readonly underLoad: RebuildPass;
  readonly queries: QueryLoadResult;
}

export function renderReport(
  facts: MachineFacts,
  loadAtEnd: readonly number[],
  settings: RebuildBenchSettings,
  events: number,
  rounds: readonly RebuildRound[],
): string {
  const rate = (ms: number) => events / (ms / 1000);
  const variants = [
    ['kafkajs consumer, no-op', 'kafkajs'],
    ['floor: kafkajs consumer, Avro decode only', 'decode'],
    ['floor: Postgres alone writing the built rows (insert … select)', 'writes'],
    [`ops-cli rebuild (${settings.mode}): initial build (no live version)`, 'initial'],
    [`ops-cli rebuild (${settings.mode}): rebuild under query load`, 'underLoad'],
  ] as const;
  const freeze = (pass: TimedPass) => ('freezeMs' in pass ? (pass as RebuildPass).freezeMs : undefined);
  const rows = variants.map(([label, key]) => {
    const passes = rounds.map((round) => round[key]);
    const freezes = passes.flatMap((pass) => freeze(pass) ?? []);
    return [
      label,
      formatMedianRange(
        passes.map((pass) => pass.ms / 1000),
        1,
      ),
      formatNumber(median(passes.map((pass) => rate(pass.ms))), 0),
      formatRatio(median(rounds.map((round) => round[key].ms / round.kafkajs.ms))),
      freezes.length > 0
        ? formatMedianRange(
            freezes.map((ms) => ms / 1000),
            2,
          )
        : '–',
    ];
  });
  const cpuRows = variants.flatMap(([label, key]) => {
    const cpu = cpuPerEvent(
      rounds.flatMap((round) => round[key].cpu ?? []),
      events,
    );
    return cpu
      ? [[label, ...cpu.cells, formatNumber((cpu.totalMicros * events * 1e-6) / facts.cpus, 1)]]
      : [];
  });
  const queries = {
    queries: rounds.reduce((sum, round) => sum + round.queries.queries, 0),
    partial: rounds.reduce((sum, round) => sum + round.queries.partial, 0),
    errors: rounds.reduce((sum, round) => sum + round.queries.errors, 0),
    latenciesMs: rounds.flatMap((round) => round.queries.latenciesMs),
  };
  const latency = (p: number) =>
    queries.latenciesMs.length > 0 ? formatNumber(percentile(queries.latenciesMs, p), 1) : '–';
  return [
    '# Rebuild benchmark',
    '',
    machineFactsMarkdown(facts),
    `- Load average at the end (1/5/15 min): ${formatLoad(loadAtEnd)}`,
    `- Command: \`npm run bench:rebuild\`; ${rounds.length} rounds, each on a fresh database; ${events.toLocaleString('en-US')} account events, ${settings.partitions} partitions, ${settings.accounts.toLocaleString('en-US')} accounts, mode ${settings.mode}, ${settings.queryWorkers} query loops`,
    '',
    '## Rebuild of the accounts read model',
    '',
    'A topic of account events of the simulated ledger, published as the relay publishes them. The no-op',
    'reader is a kafkajs consumer of a new group over the same topic in the same run. Each rebuild is',
    '`runRebuild` as `ops-cli projections rebuild accounts` runs it: shadow tables, a new consumer group from',
    'the beginning, until caught up, then the freeze and the swap (wall time from start to the swap’s commit,',
    'the previous version dropped at once). The first build has no live version to serve; the second runs',
    'while a live projector keeps the current version and query loops read it. The two floors bound any',
    'rebuild from below on this machine: decoding every record (no writes), and Postgres alone writing the',
    'rows the build wrote, copied from the built tables into empty ones with the same columns, constraints and',
    'indexes (`insert … select`: no parsing, no network, no client; the three tables side by side). Cells:',
    'median over rounds (min–max); the ratio is the median of each round’s wall time divided by that round’s no-op’s.',
    '',
    markdownTable(['Reader', 'wall time, s', 'events/s', 'wall time ÷ no-op’s', 'freeze, s'], rows, [
      false,
      true,
      true,
      true,
      true,
    ]),
    '',
    '### CPU per event',
    '',
    'CPU time (user + system) of each pass divided by the events: the benchmark’s own process (the reader,',
    'or the rebuild with its consumer, decoder and pg clients; under load also the live projector and the query',
    'loops), every `postgres` process and the broker, before and after the pass. The last column is the least',
    `wall time the machine’s ${facts.cpus} cores allow for the pass’s CPU (total CPU ÷ cores): no schedule of the same`,
    'work can finish sooner here. Median over rounds.',
    '',
    markdownTable(
      ['Reader', ...CPU_PER_EVENT_COLUMNS, `least wall time on ${facts.cpus} cores, s`],
      cpuRows,
      [false, true, true, true, true, true],
    ),
    '',
    '## Queries during the second rebuild',
    '',
    'Each query (all rounds together) reads an account’s summary and counts its statement entries, as the query API does; an',
    'answer without the account or with fewer entries than before the rebuild would be a partial model.',
    '',
    markdownTable(
      ['queries', 'partial answers', 'errors', 'p50 latency, ms', 'p99 latency, ms'],
      [[queries.queries, queries.partial, queries.errors, latency(50), latency(99)]],
      [true, true, true, true, true],
    ),
    '',
  ].join('\n');
}
