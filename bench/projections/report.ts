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
import type { Pass } from './consumers';
import { CPU_PER_EVENT_COLUMNS, cpuPerEvent } from '../lib/cpu';
import type { BenchSettings } from './settings';
import type { EventTopic } from './topic';

export interface Round {
  readonly kafkajs: Pass;
  readonly decode: Pass;
  readonly projector: Pass;
  /** The accounts projection's own writes of the same events, nothing else (writes-only.ts). */
  readonly writes: Pass;
  /** The no-op consumer, the transfers projector and its writes alone over the transfer topic. */
  readonly transferKafkajs: Pass;
  readonly transferProjector: Pass;
  readonly transferWrites: Pass;
}

export interface Rebuild {
  readonly events: number;
  readonly kafkajs: Pass;
  readonly projector: Pass;
}

const MILLION = 1_000_000;
const rate = (events: number, pass: Pass) => events / (pass.ms / 1000);

export function renderReport(
  facts: MachineFacts,
  loadAtEnd: readonly number[],
  settings: BenchSettings,
  topic: EventTopic,
  transferTopic: EventTopic,
  rounds: readonly Round[],
  rebuild: Rebuild | undefined,
): string {
  // Each reader with the topic it reads and the no-op pass over that topic in the same round.
  const variants = [
    ['account events: kafkajs consumer, no-op', 'kafkajs', topic, 'kafkajs'],
    ['account events: kafkajs consumer, Avro decode only', 'decode', topic, 'kafkajs'],
    ['account events: accounts projector', 'projector', topic, 'kafkajs'],
    ['account events: the accounts read model’s writes alone', 'writes', topic, 'kafkajs'],
    ['transfer events: kafkajs consumer, no-op', 'transferKafkajs', transferTopic, 'transferKafkajs'],
    ['transfer events: transfers projector', 'transferProjector', transferTopic, 'transferKafkajs'],
    [
      'transfer events: the transfers read model’s writes alone',
      'transferWrites',
      transferTopic,
      'transferKafkajs',
    ],
  ] as const;
  const throughput = markdownTable(
    ['Reader', 'events/s', 'ratio to no-op', 'wall time, s', 'of which start-up, s'],
    variants.map(([label, key, { events }, baseline]) => [
      label,
      formatMedianRange(
        rounds.map((round) => rate(events, round[key])),
        0,
      ),
      formatRatio(median(rounds.map((round) => rate(events, round[key]) / rate(events, round[baseline])))),
      formatMedianRange(
        rounds.map((round) => round[key].ms / 1000),
        1,
      ),
      formatMedianRange(
        rounds.map((round) => round[key].startupMs / 1000),
        1,
      ),
    ]),
  );
  const cpuTable = markdownTable(
    ['Reader', ...CPU_PER_EVENT_COLUMNS, `ceiling on ${facts.cpus} cores, events/s`],
    variants.flatMap(([label, key, { events }]) => {
      const cpu = cpuPerEvent(
        rounds.flatMap((round) => round[key].cpu ?? []),
        events,
      );
      return cpu ? [[label, ...cpu.cells, formatNumber((facts.cpus * 1e6) / cpu.totalMicros, 0)]] : [];
    }),
    [false, true, true, true, true, true],
  );
  return [
    '# Projection benchmarks',
    '',
    machineFactsMarkdown(facts),
    `- Load average at the end (1/5/15 min): ${formatLoad(loadAtEnd)}`,
    `- Command: \`npx tsx bench/projections/main.ts\`; ${settings.rounds} rounds; ${settings.partitions} partitions, ` +
      `${settings.accounts.toLocaleString('en-US')} accounts, batches of ${settings.maxBatchSize}, ` +
      `partitionsConsumedConcurrently ${settings.concurrency}`,
    '',
    '## Throughput',
    '',
    `${topic.events.toLocaleString('en-US')} account events of a simulated ledger (deposits, withdrawals, transfer`,
    `debits, credits and refunds, freezes, closings) and, on a second topic, ${transferTopic.events.toLocaleString('en-US')} transfer`,
    'events of the same ledger, published as the relay publishes them: Avro through the',
    'registry, envelope headers, the stream id as key. Each reader takes the whole topic with a new consumer',
    'group at kafkajs defaults; wall time runs from creating the consumer to the last event handled, so it',
    'includes joining the group (start-up: until the first batch arrives, for the projector until its first',
    'commit is seen). The projectors are the runtime of @ledger/projections with the accounts and the transfers',
    'projection: per chunk one transaction with two statements of the runtime (stream states; checkpoints and',
    'position) and the projection’s set-based statements (accounts at most three, transfers two: one lock,',
    'one write to all its tables). “Writes alone” is the floor under a projector: the projection’s own',
    'statements for the same events, decoded beforehand and untimed, in the same chunks and transactions,',
    'partitions side by side as the projector runs them, and nothing else (no Kafka, no decoding, none of the',
    'runtime’s statements); its rate bounds the projector’s on this Postgres. Cells: median over rounds (min–max);',
    'ratio: median of each round’s rate divided by the same round’s no-op rate over the same topic.',
    '',
    throughput,
    '',
    '### CPU per event',
    '',
    'CPU time (user + system) each pass of the rounds above used, divided by its events: the benchmark’s own',
    'process (which runs the reader: the consumer, the decoder, the projector’s runtime and its pg and kafkajs',
    'clients), every `postgres` process and the broker, from `process.cpuUsage()` and `/proc/<pid>/stat`',
    'before and after the pass (for a projector this includes joining and leaving the group). Median over rounds.',
    'The ceiling is what the machine’s cores could sustain if the pass used all of them and nothing else ran:',
    'cores ÷ total CPU per event. A projector cannot go faster than its ceiling on this machine however it is',
    'scheduled; the distance between its events/s and its ceiling is time spent waiting, not computing.',
    '',
    cpuTable,
    '',
    ...(rebuild ? rebuildSection(rebuild) : []),
  ].join('\n');
}

function rebuildSection(rebuild: Rebuild): string[] {
  const measured = rebuild.events >= MILLION;
  const perMillion = (pass: Pass) => (pass.ms / 1000) * (MILLION / rebuild.events);
  const table = markdownTable(
    [
      'Reader',
      'events',
      'wall time, s',
      'events/s',
      measured ? 'time for 1,000,000, s' : 'time for 1,000,000, s (extrapolated)',
    ],
    [
      [
        'kafkajs consumer, no-op',
        rebuild.events,
        formatNumber(rebuild.kafkajs.ms / 1000, 1),
        formatNumber(rate(rebuild.events, rebuild.kafkajs), 0),
        formatNumber(perMillion(rebuild.kafkajs), 0),
      ],
      [
        'accounts projector',
        rebuild.events,
        formatNumber(rebuild.projector.ms / 1000, 1),
        formatNumber(rate(rebuild.events, rebuild.projector), 0),
        formatNumber(perMillion(rebuild.projector), 0),
      ],
    ],
    [false, true, true, true, true],
  );
  return [
    '## Full rebuild',
    '',
    `One pass over a topic of ${rebuild.events.toLocaleString('en-US')} account events, from empty read-model tables and`,
    'a new consumer group, until every partition’s last offset is applied and committed; the read model is',
    'then checked against the topic (accounts, statement entries, sum of balances).' +
      (measured ? '' : ' The last column scales the measured time linearly to a million events.'),
    '',
    table,
    '',
  ];
}
