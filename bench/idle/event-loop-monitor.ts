// What the event-loop lag histogram costs a process at rest: idle Node processes, one per sampling
// interval (none, and prom-client's `eventLoopMonitoringPrecision` values), run side by side; the CPU each
// uses after a warm-up is read from process.cpuUsage(). Rounds repeat the set; cells are medians.
//   npm run bench:idle:event-loop   (BENCH_ELM_WINDOW_S per round, BENCH_ELM_ROUNDS)
import { execFile } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { promisify } from 'node:util';
import { EVENT_LOOP_MONITORING_PRECISION_MS } from '@ledger/observability';
import {
  envInteger,
  formatLoad,
  formatNumber,
  formatRatio,
  markdownTable,
  median,
  publishReport,
  runBenchmark,
  formatMedianRange,
} from '../lib';

const WINDOW_S = envInteger('BENCH_ELM_WINDOW_S', 20);
const ROUNDS = envInteger('BENCH_ELM_ROUNDS', 3);
const RESULTS = process.env.BENCH_RESULTS ?? 'bench/results/idle-event-loop.md';
const INTERVALS = [0, 10, EVENT_LOOP_MONITORING_PRECISION_MS, 1000] as const;

// The child: an idle process (one timer a second, as an app's housekeeping) with the monitor on or off.
const CHILD = `
const { monitorEventLoopDelay } = require('node:perf_hooks');
const resolution = Number(process.argv[1]);
if (resolution > 0) monitorEventLoopDelay({ resolution }).enable();
setInterval(() => {}, 1000);
let start;
setTimeout(() => (start = process.cpuUsage()), 2000);
setTimeout(() => {
  const used = process.cpuUsage(start);
  process.stdout.write(String((used.user + used.system) / 1000));
  process.exit(0);
}, 2000 + Number(process.argv[2]) * 1000);
`;

async function cpuMsPerSecond(resolution: number): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '-e',
    CHILD,
    String(resolution),
    String(WINDOW_S),
  ]);
  return Number(stdout) / WINDOW_S;
}

runBenchmark(async () => {
  const loadAtStart = loadavg();
  const samples = new Map<number, number[]>(INTERVALS.map((interval) => [interval, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const results = await Promise.all(INTERVALS.map((interval) => cpuMsPerSecond(interval)));
    INTERVALS.forEach((interval, index) => samples.get(interval)!.push(results[index]!));
    process.stderr.write(
      `round ${round + 1}: ${results.map((value) => value.toFixed(2)).join(' / ')} ms/s\n`,
    );
  }
  const none = median(samples.get(0)!);
  const rows = INTERVALS.map((interval) => {
    const values = samples.get(interval)!;
    const value = median(values);
    return [
      interval === 0
        ? 'off'
        : `${interval} ms${interval === EVENT_LOOP_MONITORING_PRECISION_MS ? ' (the apps now)' : ''}${interval === 10 ? ' (prom-client default)' : ''}`,
      formatMedianRange(values, 2),
      `${formatNumber(value / 10, 3)} %`,
      interval === 0 ? '–' : formatRatio(value / none),
    ];
  });
  const report = [
    '# Idle cost of the event-loop lag histogram',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- CPUs (nproc): ${availableParallelism()} × ${cpus()[0]?.model.trim() ?? 'unknown'}; Node.js ${process.version}`,
    `- Load average at the start (1/5/15 min): ${formatLoad(loadAtStart)}; at the end: ${formatLoad(loadavg())}`,
    `- Command: \`npm run bench:idle:event-loop\`; ${ROUNDS} rounds of ${WINDOW_S} s, the processes of a round side by side`,
    '',
    "Each process is an otherwise idle Node process with prom-client's event-loop lag histogram",
    '(`perf_hooks.monitorEventLoopDelay`) sampling at the interval given, or off. Every sample is a timer',
    'wake-up of the process, outside JavaScript (a JavaScript profile does not show it). Cells: CPU ms per',
    'second, median (min–max) over rounds; the ratio is to the process without the histogram.',
    '',
    markdownTable(['sampling interval', 'CPU ms per second', 'share of one core', 'ratio to off'], rows),
    '',
  ].join('\n');
  await publishReport(RESULTS, report);
});
