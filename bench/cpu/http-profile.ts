// Where the HTTP services spend their CPU under a steady deposit load: runs the whole system with every
// app under `--cpu-prof`, sends BENCH_COMMANDS deposits at BENCH_RATE/s (open loop, like bench:cpu), stops
// the apps (a clean exit writes the profiles) and prints, for the command service and the query API (sent
// BENCH_READS account reads per deposit), the busy time per deposit, the top functions by self time, the
// packages by self and inclusive time, counting only the samples taken during the load.
//   npm run bench:http-profile   (profiles land in BENCH_PROFILE_DIR, default .stack/profiles/http)
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RunningSystem } from '../../test/e2e/support/system';
import { envInteger, runBenchmark } from '../lib';
import { cpuSeconds } from '../lib/proc';

const RATE = envInteger('BENCH_RATE', 50);
const COMMANDS = envInteger('BENCH_COMMANDS', 1000);
const TOP = envInteger('BENCH_TOP', 25);
/** BENCH_PROFILE=0: no profiler, only the CPU time of each service from /proc (the profiler costs CPU too). */
const PROFILE = process.env.BENCH_PROFILE !== '0';
/** Account reads sent to the query API per deposit (0: only what the deposits themselves cost it). */
const READS = envInteger('BENCH_READS', 1, 0);
const ACCOUNTS = 20;
/** Functions whose inclusive time is listed (everything they call, in the same synchronous stack). */
const FOCUS = new RegExp(
  process.env.BENCH_FOCUS ??
    '^(jwtVerify|authenticate|canActivate|transform|validate|loggingMiddleware|onResFinished|executeCommand|assertValidEvent|jsonParser|corsMiddleware|helmetMiddleware|securityHeaders|refuseHostileBodies|requireJsonBodies|assignCorrelationId|startTimer|end|query|serialize|(garbage collector))$',
);
const DIR = process.env.BENCH_PROFILE_DIR ?? join(__dirname, '../../.stack/profiles/http');

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  startTime: number;
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

// V8 stamps profile samples with the monotonic clock in µs, the clock process.hrtime reads.
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

const IDLE = new Set(['(idle)', '(program)', '(root)']);
function where(node: Node): string {
  const frame = node.callFrame;
  return `${frame.functionName || '(anonymous)'} ${frame.url.split('/node_modules/').pop()}:${frame.lineNumber}`;
}
function packageOf(node: Node): string {
  const url = node.callFrame.url;
  if (!url) return node.callFrame.functionName || '(native)';
  const inModules = /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const own = /\/dist\/(apps\/[^/]+|libs\/[^/]+)\//.exec(url);
  return own ? own[1]! : url;
}

/** Self time per function and inclusive time per package, in µs, of the samples inside [from, to]. */
function analyse(file: string, from: number, to: number) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const selfByPackage = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const focus = new Map<string, number>();
  let busy = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < from || at > to) return;
    const node = byId.get(id)!;
    if (IDLE.has(node.callFrame.functionName)) return;
    busy += delta;
    self.set(where(node), (self.get(where(node)) ?? 0) + delta);
    // Native frames (writev, GC) count against the nearest JavaScript caller's package.
    let owner: number | undefined = id;
    while (owner !== undefined && !byId.get(owner)!.callFrame.url && parent.has(owner))
      owner = parent.get(owner);
    const ownerName = owner === undefined ? '(native)' : packageOf(byId.get(owner)!);
    selfByPackage.set(ownerName, (selfByPackage.get(ownerName) ?? 0) + delta);
    const packages = new Set<string>();
    const functions = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const frame = byId.get(n)!;
      if (FOCUS.test(frame.callFrame.functionName)) functions.add(where(frame));
      if (frame.callFrame.url || frame.callFrame.functionName === '(garbage collector)')
        packages.add(packageOf(frame));
    }
    for (const name of packages) inclusive.set(name, (inclusive.get(name) ?? 0) + delta);
    for (const name of functions) focus.set(name, (focus.get(name) ?? 0) + delta);
  });
  return { busy, self, selfByPackage, inclusive, focus };
}

async function deposit(system: RunningSystem, accountId: string): Promise<void> {
  const response = await fetch(`${system.url('command-service')}/accounts/${accountId}/deposits`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: system.authorization },
    body: JSON.stringify({ amount: 1 }),
  });
  if (!response.ok) throw new Error(`deposit answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
}

/** One account read per deposit, so the query API's request path shows in its profile too. */
async function query(system: RunningSystem, accountId: string): Promise<void> {
  const response = await fetch(`${system.url('query-api')}/accounts/${accountId}`, {
    headers: { authorization: system.authorization },
  });
  await response.arrayBuffer();
}

async function load(system: RunningSystem, accounts: string[], count: number): Promise<void> {
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1000) / RATE - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(deposit(system, accounts[i % accounts.length]!));
    for (let r = 0; r < READS; r++) pending.push(query(system, accounts[(i + 7 + r) % accounts.length]!));
  }
  await Promise.all(pending);
}

const ms = (us: number) => (us / 1000).toFixed(3);

async function main(): Promise<void> {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  if (PROFILE) process.env.E2E_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${DIR}`;
  const system = await RunningSystem.start({ LOG_LEVEL: 'warn' });
  const pids = { 'command-service': system.pid('command-service'), 'query-api': system.pid('query-api') };
  const cpu = () => Object.values(pids).map((pid) => cpuSeconds(pid ?? -1) ?? NaN);
  let from = 0;
  let to = 0;
  let cpuFrom: number[] = [];
  let cpuTo: number[] = [];
  try {
    const accounts: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const response = await system.command.post('/accounts').send({ ownerId: 'bench', currency: 'EUR' });
      accounts.push(response.body.accountId as string);
    }
    await load(system, accounts, Math.min(200, COMMANDS)); // warm-up: JIT, pools, caches
    await sleep(2_000);
    cpuFrom = cpu();
    from = monotonicMicros();
    await load(system, accounts, COMMANDS);
    to = monotonicMicros();
    cpuTo = cpu();
  } finally {
    await system.stop();
  }
  Object.keys(pids).forEach((app, i) =>
    process.stdout.write(
      `${app}: ${((1000 * (cpuTo[i]! - cpuFrom[i]!)) / COMMANDS).toFixed(2)} ms CPU (/proc) per deposit with ${READS} read(s)${PROFILE ? ', profiler on' : ''}\n`,
    ),
  );
  if (!PROFILE) return;
  for (const [app, pid] of Object.entries(pids)) {
    const file = readdirSync(DIR).find((name) => name.endsWith(`.${pid}.0.001.cpuprofile`));
    if (!file) throw new Error(`no profile of ${app} (pid ${pid}) in ${DIR}`);
    const { busy, self, selfByPackage, inclusive, focus } = analyse(join(DIR, file), from, to);
    const perDeposit = (us: number) => ms(us / COMMANDS);
    const lines = [
      `## ${app}: ${perDeposit(busy)} ms busy per deposit (${COMMANDS} deposits at ${RATE}/s, ${READS} account read(s) per deposit, ${ms(busy)} ms busy in all)`,
      '',
      '| self ms/deposit | share | function |',
      '| --------------: | ----: | -------- |',
      ...[...self]
        .sort((a, b) => b[1] - a[1])
        .slice(0, TOP)
        .map(
          ([name, us]) =>
            `| ${perDeposit(us)} | ${((100 * us) / busy).toFixed(1)} % | \`${name.replace(/\|/g, '\\|')}\` |`,
        ),
      '',
      '| self ms/deposit | share | package or module (native frames count against their caller) |',
      '| --------------: | ----: | ------------------------------------------------------------- |',
      ...[...selfByPackage]
        .sort((a, b) => b[1] - a[1])
        .slice(0, TOP)
        .map(([name, us]) => `| ${perDeposit(us)} | ${((100 * us) / busy).toFixed(1)} % | \`${name}\` |`),
      '',
      '| inclusive ms/deposit | share | package or module (on the stack) |',
      '| -------------------: | ----: | -------------------------------- |',
      ...[...inclusive]
        .sort((a, b) => b[1] - a[1])
        .slice(0, TOP)
        .map(([name, us]) => `| ${perDeposit(us)} | ${((100 * us) / busy).toFixed(1)} % | \`${name}\` |`),
      '',
      '| inclusive ms/deposit | share | function (BENCH_FOCUS) |',
      '| -------------------: | ----: | --------------------- |',
      ...[...focus]
        .sort((a, b) => b[1] - a[1])
        .slice(0, TOP)
        .map(([name, us]) => `| ${perDeposit(us)} | ${((100 * us) / busy).toFixed(1)} % | \`${name}\` |`),
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

runBenchmark(main);
