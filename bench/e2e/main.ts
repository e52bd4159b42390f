// End-to-end latency: a command accepted by the command service until the query API shows it, at a steady
// open-loop load, with the whole system running as separate processes (built apps, own database and
// Kafka namespace). Baseline in the same run: the command's own round trip and a plain query round trip.
//   npm run bench:e2e   (BENCH_RATE commands/s, BENCH_SECONDS per round, BENCH_ROUNDS)
import { setTimeout as sleep } from 'node:timers/promises';
import { RunningSystem } from '../../test/e2e/support/system';
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
import { runSystemBenchmark } from '../lib/system';
import { loadavg } from 'node:os';

const RATE = envInteger('BENCH_RATE', 50);
const SECONDS = envInteger('BENCH_SECONDS', 15);
const ROUNDS = envInteger('BENCH_ROUNDS', 3);
const ACCOUNTS = 20;
const RESULTS = process.env.BENCH_RESULTS ?? 'bench/results/e2e.md';

interface Sample {
  commandMs: number;
  visibleMs: number;
  queryMs: number;
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

async function one(system: RunningSystem, accountId: string): Promise<Sample> {
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
  return { commandMs: accepted - sent, visibleMs: shown - accepted, queryMs: performance.now() - shown };
}

async function round(system: RunningSystem, accounts: string[]): Promise<Sample[]> {
  const pending: Promise<Sample>[] = [];
  const started = performance.now();
  for (let i = 0; i < RATE * SECONDS; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(one(system, accounts[i % accounts.length]!));
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
    QUERY_POLL_INTERVAL_MS: '5',
    QUERY_MAX_WAIT_MS: '10000',
  },
  async (system, facts) => {
    const command = `http://127.0.0.1:${system.ports['command-service']}`;
    const accounts: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++)
      accounts.push(
        (await post(system, command, '/accounts', { ownerId: 'bench', currency: 'EUR' })).accountId!,
      );
    await round(system, accounts.slice(0, 5)).catch(() => undefined); // warm-up
    const rows: Array<Record<'visible50' | 'visible99' | 'command50' | 'command99' | 'query50', number>> = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const samples = await round(system, accounts);
      const pick = (key: keyof Sample, p: number) =>
        percentile(
          samples.map((sample) => sample[key]),
          p,
        );
      rows.push({
        visible50: pick('visibleMs', 50),
        visible99: pick('visibleMs', 99),
        command50: pick('commandMs', 50),
        command99: pick('commandMs', 99),
        query50: pick('queryMs', 50),
      });
      process.stderr.write(
        `round ${r}: accepted → visible p50 ${pick('visibleMs', 50).toFixed(1)} ms, p99 ${pick('visibleMs', 99).toFixed(1)} ms\n`,
      );
    }
    const m = (key: keyof (typeof rows)[number]): number => median(rows.map((row) => row[key]));
    const table = markdownTable(
      ['measure (median of rounds)', 'p50 ms', 'p99 ms'],
      [
        [
          'command accepted → visible in the query API',
          formatNumber(m('visible50')),
          formatNumber(m('visible99')),
        ],
        ['command round trip (baseline)', formatNumber(m('command50')), formatNumber(m('command99'))],
        ['plain query round trip (baseline)', formatNumber(m('query50')), '–'],
      ],
      [false, true, true],
    );
    const report = [
      '# End-to-end latency',
      '',
      machineFactsMarkdown(facts),
      `- Load: ${RATE} deposits/s open loop over ${ACCOUNTS} accounts, ${SECONDS} s per round, ${ROUNDS} rounds; load average at the end ${formatLoad(loadavg())}`,
      '',
      table,
      '',
      `Visible p50 is ${formatRatio(m('visible50') / m('command50'))} the command round trip and ${formatRatio(m('visible50') / m('query50'))} a plain query.`,
      '"Visible" is the query API answering `GET /accounts/{id}?minPosition=<the command\'s position>`: the relay',
      'has published the event and the accounts projector has applied it (ADR 0006).',
    ].join('\n');
    return report;
  },
);
