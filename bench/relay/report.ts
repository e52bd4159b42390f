import {
  formatLoad,
  formatNumber,
  formatRatio,
  machineFactsMarkdown,
  markdownTable,
  median,
  type MachineFacts,
  formatMedianRange,
} from '../lib';
import { CPU_PER_EVENT_COLUMNS, cpuPerEvent } from '../lib/cpu';
import type { LatencyRound } from './latency';
import type { RelayBenchSettings } from './settings';
import type { ThroughputRound } from './throughput';

export function throughputTable(rounds: readonly ThroughputRound[]): string {
  const ratio = median(rounds.map((round) => round.relayPerSecond / round.rawPerSecond));
  const transactionalRatio = median(
    rounds.map((round) => round.relayPerSecond / round.rawTransactionalPerSecond),
  );
  return markdownTable(
    [
      'Relay (store → committed on Kafka), events/s',
      'Raw transactional produce, records/s',
      'Raw idempotent produce, records/s',
      'Relay / raw transactional',
      'Relay / raw idempotent',
      'Record size: value / key + value + headers, bytes',
    ],
    [
      [
        formatMedianRange(
          rounds.map((r) => r.relayPerSecond),
          0,
        ),
        formatMedianRange(
          rounds.map((r) => r.rawTransactionalPerSecond),
          0,
        ),
        formatMedianRange(
          rounds.map((r) => r.rawPerSecond),
          0,
        ),
        formatRatio(transactionalRatio),
        formatRatio(ratio),
        `${formatNumber(median(rounds.map((r) => r.recordBytes.value)), 0)} / ${formatNumber(median(rounds.map((r) => r.recordBytes.total)), 0)}`,
      ],
    ],
    [true, true, true, true, true, true],
  );
}

/** CPU per record of each pass: this process (the relay, or the raw producer), Postgres, the broker. */
export function cpuTable(
  facts: MachineFacts,
  settings: RelayBenchSettings,
  rounds: readonly ThroughputRound[],
): string {
  const passes = [
    ['relay (store → committed on Kafka)', 'relay'],
    ['raw transactional produce', 'rawTransactional'],
    ['raw idempotent produce', 'raw'],
  ] as const;
  return markdownTable(
    ['Pass', ...CPU_PER_EVENT_COLUMNS, `ceiling on ${facts.cpus} cores, records/s`],
    passes.flatMap(([label, key]) => {
      const cpu = cpuPerEvent(
        rounds.map((round) => round.cpu[key]),
        settings.events,
      );
      return cpu ? [[label, ...cpu.cells, formatNumber((facts.cpus * 1e6) / cpu.totalMicros, 0)]] : [];
    }),
    [false, true, true, true, true, true],
  );
}

export function latencyTable(rounds: readonly LatencyRound[]): string {
  const row = (name: string, pick: (round: LatencyRound) => { p50: number; p99: number; max: number }) => [
    name,
    formatMedianRange(
      rounds.map((round) => pick(round).p50),
      0,
    ),
    formatMedianRange(
      rounds.map((round) => pick(round).p99),
      0,
    ),
    formatMedianRange(
      rounds.map((round) => pick(round).max),
      0,
    ),
  ];
  return markdownTable(
    ['Interval', 'p50, ms', 'p99, ms', 'max, ms'],
    [
      row('command sent → record written by the broker', (round) => round.sentToKafka),
      row('command answered → record written by the broker', (round) => round.committedToKafka),
      row('command sent → command answered', (round) => round.command),
    ],
    [false, true, true, true],
  );
}

export function renderReport(
  facts: MachineFacts,
  loadAtEnd: readonly number[],
  settings: RelayBenchSettings,
  throughput: readonly ThroughputRound[],
  latency: readonly LatencyRound[],
): string {
  return `# Outbox relay benchmarks

${machineFactsMarkdown(facts)}
- Load average at the end (1/5/15 min): ${formatLoad(loadAtEnd)}
- Command: \`npx tsx bench/relay/main.ts\`; ${settings.rounds} rounds; Kafka topics with ${settings.partitions} partitions on the stack's single broker

## Throughput: store to committed on Kafka

Each round seeds a fresh store with ${formatNumber(settings.events, 0)} events (one per append, ${200} account
streams), then measures the relay from \`start()\` until it has counted every event as committed: gap-free
reads of ${settings.batchSize} events, Avro encoding (no second validation: events were validated on append), one
Kafka transaction per batch (\`sendBatch\` with acks=all, the checkpoint as a transactional offset commit,
\`commit\`), the next batch read and encoded while one is on the wire, the Postgres copy of the checkpoint
written beside. Two baselines send the same records, already encoded, in batches of the same size, one after
another, to topics of the same layout: one transaction per batch with the relay's producer settings (the
ceiling of this broker for the relay's sending pattern), and idempotent \`sendBatch\` without transactions
(what the at-least-once relay paid). Rounds alternate the order. Cells: median (min–max) over rounds; the
ratios are medians of the per-round ratios. The machine's load average is above: on a shared machine the
figures move with what else runs.

${throughputTable(throughput)}

CPU per record of each timed pass (user + system): the benchmark's own process (the relay with its pg and
kafkajs clients, or the raw producer), every \`postgres\` process and the broker, from \`process.cpuUsage()\`
and \`/proc/<pid>/stat\` before and after the pass; median over rounds. The ceiling is what the machine's
cores could sustain if the pass used all of them and nothing else ran (cores ÷ total CPU per record).

${cpuTable(facts, settings, throughput)}

## Latency: command to Kafka at a steady load

${settings.rate} deposits per second for ${settings.loadSeconds} s through \`handleCommand\` (open loop: each sent on
schedule, whatever the earlier ones are doing; 200 accounts, so one command per account per second). The
relay runs with its defaults (LISTEN/NOTIFY wake-ups, fallback poll 1 s). The topics use
\`message.timestamp.type=LogAppendTime\`, so a record's timestamp is the moment the broker wrote it; the
consumer's own fetch delay does not count. Achieved rate: ${latency.map((round) => round.achievedRate.toFixed(0)).join(', ')} commands/s.
Cells: median (min–max) over rounds of each round's percentile.

${latencyTable(latency)}
`;
}
