import {
  formatLoad,
  formatNumber,
  formatRatio,
  machineFactsMarkdown,
  markdownTable,
  percentile,
} from '../lib';
import type { MachineFacts } from '../lib';
import type { Pass } from '../projections/consumers';
import type { QueryLoadResult } from './query-load';
import type { RebuildBenchSettings } from './settings';

export interface RebuildPass {
  readonly label: string;
  readonly ms: number;
  /** From freezing the live projector to the swap's commit. */
  readonly freezeMs: number;
}

/** What bounds a rebuild from below, measured in the same run (floors.ts). */
export interface Floors {
  /** A kafkajs consumer decoding every record as the rebuild does, writing nothing. */
  readonly decodeMs: number;
  /** Postgres alone writing the rows the rebuild wrote (insert … select into empty copies). */
  readonly writesMs: number;
}

export function renderReport(
  facts: MachineFacts,
  loadAtEnd: readonly number[],
  settings: RebuildBenchSettings,
  events: number,
  kafkajs: Pass,
  passes: readonly RebuildPass[],
  queries: QueryLoadResult,
  floors: Floors,
): string {
  const rate = (ms: number) => events / (ms / 1000);
  const rows = [
    [
      'kafkajs consumer, no-op',
      formatNumber(kafkajs.ms / 1000),
      formatNumber(rate(kafkajs.ms), 0),
      '1.00×',
      '–',
    ],
    ...(
      [
        ['floor: kafkajs consumer, Avro decode only', floors.decodeMs],
        ['floor: Postgres alone writing the built rows (insert … select)', floors.writesMs],
      ] as const
    ).map(([label, ms]) => [
      label,
      formatNumber(ms / 1000),
      formatNumber(rate(ms), 0),
      formatRatio(rate(ms) / rate(kafkajs.ms)),
      '–',
    ]),
    ...passes.map((pass) => [
      `ops-cli rebuild (${settings.mode}): ${pass.label}`,
      formatNumber(pass.ms / 1000),
      formatNumber(rate(pass.ms), 0),
      formatRatio(rate(pass.ms) / rate(kafkajs.ms)),
      formatNumber(pass.freezeMs / 1000, 2),
    ]),
  ];
  const latency = (p: number) =>
    queries.latenciesMs.length > 0 ? formatNumber(percentile(queries.latenciesMs, p), 1) : '–';
  return [
    '# Rebuild benchmark',
    '',
    machineFactsMarkdown(facts),
    `- Load average at the end (1/5/15 min): ${formatLoad(loadAtEnd)}`,
    `- Command: \`npm run bench:rebuild\`; ${events.toLocaleString('en-US')} account events, ${settings.partitions} partitions, ${settings.accounts.toLocaleString('en-US')} accounts, mode ${settings.mode}, ${settings.queryWorkers} query loops`,
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
    'indexes (`insert … select`: no parsing, no network, no client; the three tables side by side).',
    '',
    markdownTable(['Reader', 'wall time, s', 'events/s', 'ratio to no-op', 'freeze, s'], rows, [
      false,
      true,
      true,
      true,
      true,
    ]),
    '',
    '## Queries during the second rebuild',
    '',
    'Each query reads an account’s summary and counts its statement entries, as the query API does; an',
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
