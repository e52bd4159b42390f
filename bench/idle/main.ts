// Idle cost: CPU each app of the running system uses while no command arrives, from /proc/<pid>/stat
// (user + system time) over a window, after the system has settled. Every app runs as a separate process
// from dist/ on its own database and Kafka namespace, as in the e2e tests.
//   npm run bench:idle   (BENCH_IDLE_SETTLE_S before measuring, BENCH_IDLE_WINDOW_S measured)
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { APPS, RunningSystem, type AppName } from '../../test/e2e/support/system';
import {
  formatLoad,
  formatNumber,
  machineFacts,
  machineFactsMarkdown,
  markdownTable,
  writeMarkdown,
} from '../lib';

const SETTLE_S = Number(process.env.BENCH_IDLE_SETTLE_S ?? 20);
const WINDOW_S = Number(process.env.BENCH_IDLE_WINDOW_S ?? 60);
const RESULTS = process.env.BENCH_RESULTS ?? 'bench/results/idle.md';
const CONSUMERS: readonly AppName[] = ['transfer-saga', 'projector-accounts', 'projector-transfers'];
/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User plus system CPU time of a process so far, in seconds. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, inside parentheses): utime is 14th, stime 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

async function main(): Promise<void> {
  const facts = await machineFacts(
    process.env.DATABASE_URL ?? 'postgres://ledger:ledger@127.0.0.1:5432/ledger',
  );
  const system = await RunningSystem.start();
  try {
    process.stderr.write(`system ready; settling ${SETTLE_S} s\n`);
    await sleep(SETTLE_S * 1000);
    const pids = new Map(APPS.map((app) => [app, system.pid(app)!]));
    const before = new Map(
      await Promise.all(APPS.map(async (app) => [app, await cpuSeconds(pids.get(app)!)] as const)),
    );
    const started = performance.now();
    await sleep(WINDOW_S * 1000);
    const wall = (performance.now() - started) / 1000;
    const used = new Map(
      await Promise.all(
        APPS.map(async (app) => [app, (await cpuSeconds(pids.get(app)!)) - before.get(app)!] as const),
      ),
    );
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
    process.stdout.write(report);
    await writeMarkdown(RESULTS, report);
  } finally {
    await system.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
