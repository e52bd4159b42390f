// CPU per accepted deposit and CPU at rest, per process, with the whole system running as separate
// processes (built apps, the stack's Kafka, registry and Postgres). CPU time is the steadiest measure on a
// shared machine: CPU seconds from /proc/<pid>/stat before and after a fixed load, divided by the
// commands accepted. Also the resident memory of each app after every round (growth shows a leak).
//   npm run bench:cpu   (BENCH_RATE commands/s, BENCH_COMMANDS per round, BENCH_ROUNDS, BENCH_IDLE_SECONDS)
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { APPS, AppName, RunningSystem } from '../../test/e2e/support/system';
import { envInteger, formatLoad, formatNumber, machineFactsMarkdown, markdownTable, median } from '../lib';
import { runSystemBenchmark } from '../lib/system';
import { cpuBetween, cpuSnapshot, pidsNamed, residentMiB } from '../lib/proc';
import { kafkaPids, stackPid } from '../lib/stack-pids';

const RATE = envInteger('BENCH_RATE', 50);
const COMMANDS = envInteger('BENCH_COMMANDS', 1000);
const ROUNDS = envInteger('BENCH_ROUNDS', 3);
const IDLE_SECONDS = envInteger('BENCH_IDLE_SECONDS', 30);
const ACCOUNTS = 20;
const RESULTS = process.env.BENCH_RESULTS ?? 'bench/results/cpu.md';

type Group = AppName | 'kafka' | 'registry' | 'postgres';
const GROUPS: readonly Group[] = [...APPS, 'kafka', 'registry', 'postgres'];

/** The processes of each group now: Postgres backends come and go, so they are listed at every reading. */
function groupPids(system: RunningSystem): Map<Group, number[]> {
  const pids = new Map<Group, number[]>();
  for (const app of APPS)
    pids.set(
      app,
      [system.pid(app)].filter((pid): pid is number => pid !== undefined),
    );
  pids.set('kafka', kafkaPids());
  pids.set('registry', stackPid('registry'));
  pids.set('postgres', pidsNamed('postgres'));
  return pids;
}

type Reading = Map<Group, Map<number, number>>;
const read = (system: RunningSystem): Reading =>
  new Map([...groupPids(system)].map(([group, pids]) => [group, cpuSnapshot(pids)]));
const used = (before: Reading, after: Reading, group: Group): number =>
  cpuBetween(before.get(group) ?? new Map(), after.get(group) ?? new Map());

async function deposit(system: RunningSystem, accountId: string): Promise<number> {
  const response = await fetch(`${system.url('command-service')}/accounts/${accountId}/deposits`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: system.authorization },
    body: JSON.stringify({ amount: 1 }),
  });
  if (!response.ok) throw new Error(`deposit answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { globalPosition: number }).globalPosition;
}

/** Sends `count` deposits at RATE/s (open loop) and waits until the last one is visible in the query API. */
async function load(system: RunningSystem, accounts: string[], count: number): Promise<number> {
  const pending: Promise<number>[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1000) / RATE - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(deposit(system, accounts[i % accounts.length]!));
  }
  const positions = await Promise.all(pending);
  const last = Math.max(...positions);
  // The query API holds a read for at most its max wait (2 s by default), then answers STALE_READ: ask again.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const visible = await fetch(
      `${system.url('query-api')}/accounts/${accounts[0]}?minPosition=${last}&maxWaitMs=2000`,
      { headers: { authorization: system.authorization } },
    );
    if (visible.ok) break;
    if (visible.status === 400 || Date.now() > deadline)
      throw new Error(`the load never became visible: ${await visible.text()}`);
  }
  return positions.length;
}

runSystemBenchmark(RESULTS, { LOG_LEVEL: 'warn' }, async (system, facts) => {
  const accounts: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const response = await system.command.post('/accounts').send({ ownerId: 'bench', currency: 'EUR' });
    accounts.push(response.body.accountId as string);
  }
  await load(system, accounts, Math.min(200, COMMANDS)); // warm-up: JIT, pools, schema caches
  await sleep(5_000);

  process.stderr.write(`idle: ${IDLE_SECONDS} s with no traffic\n`);
  const idleBefore = read(system);
  await sleep(IDLE_SECONDS * 1000);
  const idleAfter = read(system);
  const idlePercent = (group: Group) => (100 * used(idleBefore, idleAfter, group)) / IDLE_SECONDS;

  const perCommand: Array<Map<Group, number>> = [];
  const memory: Array<Map<AppName, number>> = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const before = read(system);
    const accepted = await load(system, accounts, COMMANDS);
    const after = read(system);
    perCommand.push(new Map(GROUPS.map((group) => [group, (1000 * used(before, after, group)) / accepted])));
    memory.push(new Map(APPS.map((app) => [app, residentMiB(system.pid(app) ?? -1) ?? NaN])));
    const total = [...perCommand.at(-1)!.values()].reduce((sum, ms) => sum + ms, 0);
    process.stderr.write(`round ${r}: ${accepted} deposits, ${total.toFixed(2)} ms CPU per deposit\n`);
  }

  const perCommandMedian = (group: Group) => median(perCommand.map((round) => round.get(group)!));
  const rows = GROUPS.map((group) => [
    group,
    formatNumber(perCommandMedian(group), 2),
    formatNumber(idlePercent(group), 2),
    APPS.includes(group as AppName)
      ? memory.map((m) => formatNumber(m.get(group as AppName)!, 0)).join(' → ')
      : '–',
  ]);
  const totalPerCommand = median(perCommand.map((round) => [...round.values()].reduce((a, b) => a + b, 0)));
  const totalIdle = GROUPS.reduce((sum, group) => sum + idlePercent(group), 0);
  rows.push([
    '**all processes**',
    `**${formatNumber(totalPerCommand, 2)}**`,
    `**${formatNumber(totalIdle, 2)}**`,
    '',
  ]);
  const report = [
    '# CPU per command and at rest',
    '',
    machineFactsMarkdown(facts),
    `- Load: ${COMMANDS} deposits per round at ${RATE}/s open loop over ${ACCOUNTS} accounts, ${ROUNDS} rounds, each until the last deposit is visible in the query API; load average at the end ${formatLoad(loadavg())}`,
    `- At rest: ${IDLE_SECONDS} s with no traffic after a warm-up`,
    '',
    markdownTable(
      ['process', 'CPU ms per deposit (median)', 'CPU at rest, % of a core', 'resident MiB after each round'],
      rows,
      [false, true, true, false],
    ),
    '',
    'CPU seconds come from /proc/<pid>/stat (user + system, all threads). Postgres counts every `postgres`',
    'process on the machine (postmaster, background workers, every backend), so other databases on the same',
    'server count too: run it on a quiet machine. A round includes its drain (until the last deposit is',
    'visible), so the at-rest cost of that time is inside the per-deposit figure.',
  ].join('\n');
  return report;
});
