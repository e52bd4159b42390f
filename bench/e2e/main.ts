// End-to-end latency: a command accepted by the command service until the query API shows it, at a steady
// open-loop load, with the whole system running as separate processes (built apps, own database and
// Kafka namespace). Baseline in the same run: the command's own round trip and a plain query round trip.
//   npm run bench:e2e   (BENCH_RATE commands/s, BENCH_SECONDS per round, BENCH_ROUNDS)
import { setTimeout as sleep } from 'node:timers/promises';
import { eventTopics } from '@ledger/contracts';
import { APPS, RunningSystem, type AppName } from '../../test/e2e/support/system';
import { KafkaArrivals } from './arrivals';
import {
  envInteger,
  formatLoad,
  formatNumber,
  formatRatio,
  machineFactsMarkdown,
  markdownTable,
  median,
  percentile,
} from '../lib';
import { residentMiB } from '../lib/proc';
import { runSystemBenchmark } from '../lib/system';
import { loadavg } from 'node:os';

const RATE = envInteger('BENCH_RATE', 50);
const SECONDS = envInteger('BENCH_SECONDS', 15);
const ROUNDS = envInteger('BENCH_ROUNDS', 3);
const ACCOUNTS = 20;
const RESULTS = process.env.BENCH_RESULTS ?? 'bench/results/e2e.md';

/** The measures of a sample that the report gives percentiles of. */
const STAGES = {
  visible: (sample: Sample) => sample.visibleMs,
  command: (sample: Sample) => sample.commandMs,
  query: (sample: Sample) => sample.queryMs,
  produced: (sample: Sample) => sample.producedMs,
  commit: (sample: Sample) => sample.committedMs - sample.producedMs,
  apply: (sample: Sample) => sample.visibleMs - sample.committedMs,
};

interface Sample {
  commandMs: number;
  visibleMs: number;
  queryMs: number;
  /** Accepted → produced to Kafka by the relay (seen by a read-uncommitted reader). */
  producedMs: number;
  /** Accepted → its transaction committed on Kafka (seen by a read-committed reader). */
  committedMs: number;
}

/** The readers that split a sample's latency into stages; see KafkaArrivals. */
interface Probes {
  produced: KafkaArrivals;
  committed: KafkaArrivals;
}

async function post(system: RunningSystem, base: string, path: string, body: object) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: system.authorization },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { accountId?: string; globalPosition: number };
}

async function one(system: RunningSystem, probes: Probes, accountId: string): Promise<Sample> {
  const command = `http://127.0.0.1:${system.ports['command-service']}`;
  const query = `http://127.0.0.1:${system.ports['query-api']}`;
  const sent = performance.now();
  const { globalPosition } = await post(system, command, `/accounts/${accountId}/deposits`, { amount: 1 });
  const accepted = performance.now();
  const headers = { authorization: system.authorization };
  const visible = await fetch(
    `${query}/accounts/${accountId}?minPosition=${globalPosition}&maxWaitMs=10000`,
    { headers },
  );
  if (!visible.ok) throw new Error(`query answered ${visible.status}: ${await visible.text()}`);
  const shown = performance.now();
  const plain = await fetch(`${query}/accounts/${accountId}`, { headers });
  await plain.arrayBuffer();
  const queryMs = performance.now() - shown;
  // The probes' own fetch may return a moment after the projector's: a stage is at most what it measures.
  const stage = (probe: KafkaArrivals) => Math.min(shown, probe.at(globalPosition) ?? shown) - accepted;
  return {
    commandMs: accepted - sent,
    visibleMs: shown - accepted,
    queryMs,
    producedMs: stage(probes.produced),
    committedMs: stage(probes.committed),
  };
}

async function round(system: RunningSystem, probes: Probes, accounts: string[]): Promise<Sample[]> {
  const pending: Promise<Sample>[] = [];
  const started = performance.now();
  for (let i = 0; i < RATE * SECONDS; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(one(system, probes, accounts[i % accounts.length]!));
  }
  // Settled first, so one failed sample cannot leave the others' rejections unhandled (which would end
  // the process before the system is stopped).
  const settled = await Promise.allSettled(pending);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((result) => (result as PromiseFulfilledResult<Sample>).value);
}

runSystemBenchmark(
  RESULTS,
  {
    LOG_LEVEL: 'warn',
    QUERY_MAX_WAIT_MS: '10000',
  },
  async (system, facts) => {
    const command = `http://127.0.0.1:${system.ports['command-service']}`;
    const accounts: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++)
      accounts.push(
        (await post(system, command, '/accounts', { ownerId: 'bench', currency: 'EUR' })).accountId!,
      );
    const topic = `${system.prefix}${eventTopics['ledger.accounts.MoneyDeposited']}`;
    const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
    const probes: Probes = {
      produced: await KafkaArrivals.start(brokers, topic, 'uncommitted'),
      committed: await KafkaArrivals.start(brokers, topic, 'committed'),
    };
    const rows: Array<Record<string, number>> = [];
    // Each app's resident set after the warm-up and after every round: growth shows as a rising row.
    const memory: Array<Map<AppName, number>> = [];
    const resident = () =>
      memory.push(new Map(APPS.map((app) => [app, residentMiB(system.pid(app) ?? -1) ?? NaN])));
    try {
      await round(system, probes, accounts.slice(0, 5)).catch(() => undefined); // warm-up
      resident();
      for (let r = 1; r <= ROUNDS; r++) {
        const samples = await round(system, probes, accounts);
        resident();
        const pick = (value: (sample: Sample) => number, p: number) => percentile(samples.map(value), p);
        const row: Record<string, number> = {};
        for (const [name, value] of Object.entries(STAGES)) {
          row[`${name}50`] = pick(value, 50);
          row[`${name}99`] = pick(value, 99);
        }
        rows.push(row);
        process.stderr.write(
          `round ${r}: accepted → visible p50 ${row.visible50!.toFixed(1)} ms, p99 ${row.visible99!.toFixed(1)} ms` +
            ` (produced p50 ${row.produced50!.toFixed(1)}, commit p50 ${row.commit50!.toFixed(1)})\n`,
        );
      }
    } finally {
      await probes.produced.stop();
      await probes.committed.stop();
    }
    const m = (key: string): number => median(rows.map((row) => row[key]!));
    const line = (label: string, name: keyof typeof STAGES, p99 = true) => [
      label,
      formatNumber(m(`${name}50`)),
      p99 ? formatNumber(m(`${name}99`)) : '–',
    ];
    const table = markdownTable(
      ['measure (median of rounds)', 'p50 ms', 'p99 ms'],
      [
        line('command accepted → visible in the query API', 'visible'),
        line('command round trip (baseline)', 'command'),
        line('plain query round trip (baseline)', 'query', false),
      ],
      [false, true, true],
    );
    const stages = markdownTable(
      ['stage of one command (each sample, then percentiles)', 'p50 ms', 'p99 ms'],
      [
        line('accepted → produced to Kafka (relay wake-up, tail read, linger, produce)', 'produced'),
        line('produced → committed (the rest of the relay transaction)', 'commit'),
        line('committed → visible (projector fetch and transaction, query API look)', 'apply'),
      ],
      [false, true, true],
    );
    const memoryTable = markdownTable(
      ['app', 'resident MiB after the warm-up, then after each round'],
      APPS.map((app) => [app, memory.map((each) => formatNumber(each.get(app)!, 0)).join(' → ')]),
      [false, false],
    );
    const report = [
      '# End-to-end latency',
      '',
      machineFactsMarkdown(facts),
      `- Load: ${RATE} deposits/s open loop over ${ACCOUNTS} accounts, ${SECONDS} s per round, ${ROUNDS} rounds; load average at the end ${formatLoad(loadavg())}`,
      '',
      table,
      '',
      'Where the visible latency goes (readers of the account topic in the benchmark process, one',
      'read-uncommitted, one read-committed, mark when each event reached them):',
      '',
      stages,
      '',
      `Visible p50 is ${formatRatio(m('visible50') / m('command50'))} the command round trip and ${formatRatio(m('visible50') / m('query50'))} a plain query.`,
      '"Visible" is the query API answering `GET /accounts/{id}?minPosition=<the command\'s position>`: the relay',
      'has published the event and the accounts projector has applied it (ADR 0006).',
      '',
      '## Memory',
      '',
      'Resident set (VmRSS from `/proc/<pid>/status`) of each app of the system under the load above.',
      '',
      memoryTable,
    ].join('\n');
    return report;
  },
);
