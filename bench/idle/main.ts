// Idle cost: CPU each app of the running system uses while no command arrives, from /proc/<pid>/stat
// (user + system time) over a window, after the system has settled. Every app runs as a separate process
// from dist/ on its own database and Kafka namespace, as in the e2e tests.
//   npm run bench:idle   (BENCH_IDLE_SETTLE_S before measuring, BENCH_IDLE_WINDOW_S measured)
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { APPS, type AppName } from '../../test/e2e/support/system';
import { envInteger, formatLoad, formatNumber, machineFactsMarkdown, markdownTable } from '../lib';
import { runSystemBenchmark } from '../lib/system';
import { cpuSeconds } from '../lib/proc';

const SETTLE_S = envInteger('BENCH_IDLE_SETTLE_S', 20);
const WINDOW_S = envInteger('BENCH_IDLE_WINDOW_S', 60);
const RESULTS = process.env.BENCH_RESULTS ?? 'bench/results/idle.md';
const CONSUMERS: readonly AppName[] = ['transfer-saga', 'projector-accounts', 'projector-transfers'];

/** User plus system CPU time of an app so far, in seconds; an app that exited fails the run. */
function cpuOf(app: AppName, pid: number): number {
  const seconds = cpuSeconds(pid);
  if (seconds === undefined) throw new Error(`${app} (pid ${pid}) is no longer running`);
  return seconds;
}

runSystemBenchmark(RESULTS, {}, async (system, facts) => {
  process.stderr.write(`system ready; settling ${SETTLE_S} s\n`);
  await sleep(SETTLE_S * 1000);
  const pids = new Map(APPS.map((app) => [app, system.pid(app)!]));
  const before = new Map(APPS.map((app) => [app, cpuOf(app, pids.get(app)!)] as const));
  const started = performance.now();
  await sleep(WINDOW_S * 1000);
  const wall = (performance.now() - started) / 1000;
  const used = new Map(APPS.map((app) => [app, cpuOf(app, pids.get(app)!) - before.get(app)!] as const));
  const share = (seconds: number) => `${formatNumber((seconds / wall) * 100, 2)} %`;
  const consumers = CONSUMERS.reduce((sum, app) => sum + used.get(app)!, 0);
  const all = APPS.reduce((sum, app) => sum + used.get(app)!, 0);
  const table = markdownTable(
    ['App', 'CPU seconds', 'share of one core'],
    [
      ...APPS.map((app) => [app, formatNumber(used.get(app)!, 2), share(used.get(app)!)]),
      ['consumer apps (saga, projectors)', formatNumber(consumers, 2), share(consumers)],
      ['all apps', formatNumber(all, 2), share(all)],
    ],
  );
  const report = [
    '# Idle cost',
    '',
    machineFactsMarkdown(facts),
    `- Load average at the end (1/5/15 min): ${formatLoad(loadavg())}`,
    `- Command: \`npm run bench:idle\`; settled ${SETTLE_S} s after every app was ready, measured over ${formatNumber(wall, 1)} s`,
    '',
    'CPU time (user + system, from `/proc/<pid>/stat`) of each app of a running system that receives no',
    'command: its consumer groups joined, retry topics subscribed, timers (reconciliation, sweeps, metrics)',
    'running. Apps run from `dist/` as in the e2e tests, each on its own database role, in one Kafka namespace.',
    '',
    table,
    '',
  ].join('\n');
  return report;
});
