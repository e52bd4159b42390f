// Where an idle system spends its CPU: runs every app with `--cpu-prof` for BENCH_IDLE_SECONDS with no
// traffic, stops them (a clean exit writes the profile) and prints each app's top functions by self time.
//   npm run bench:idle-profile   (profiles land in BENCH_PROFILE_DIR, default .stack/profiles/idle)
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RunningSystem } from '../../test/e2e/support/system';
import { envInteger, runBenchmark } from '../lib';

const IDLE_SECONDS = envInteger('BENCH_IDLE_SECONDS', 40);
const MARGIN_SECONDS = 5;
const DIR = process.env.BENCH_PROFILE_DIR ?? join(__dirname, '../../.stack/profiles/idle');

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  endTime: number;
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

function top(file: string, count = 8): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // Only the quiet middle of the run: start-up (module loading) and shutdown are not idle cost.
  const from = profile.endTime - (IDLE_SECONDS - MARGIN_SECONDS) * 1e6;
  const to = profile.endTime - MARGIN_SECONDS * 1e6;
  const times = profile.timeDeltas.reduce<number[]>((at, delta) => [...at, (at.at(-1) ?? 0) + delta], []);
  const start = profile.endTime - (times.at(-1) ?? 0);
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const at = start + times[i]!;
    if (at < from || at > to) return;
    const frame = byId.get(id)!.callFrame;
    const where = `${frame.functionName || '(anonymous)'} ${frame.url.split('/node_modules/').pop()}:${frame.lineNumber}`;
    self.set(where, (self.get(where) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const busy = [...self].filter(([where]) => !where.startsWith('(idle)') && !where.startsWith('(program)'));
  const total = busy.reduce((sum, [, us]) => sum + us, 0);
  return [
    `  busy ${(total / 1000).toFixed(0)} ms of ${IDLE_SECONDS - 2 * MARGIN_SECONDS} s at rest`,
    ...busy
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([where, us]) => `  ${(us / 1000).toFixed(1).padStart(7)} ms  ${where}`),
  ];
}

async function main(): Promise<void> {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  process.env.E2E_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${DIR}`;
  const system = await RunningSystem.start({ LOG_LEVEL: 'warn' });
  await sleep(IDLE_SECONDS * 1000);
  await system.stop();
  for (const file of readdirSync(DIR).filter((name) => name.endsWith('.cpuprofile'))) {
    process.stdout.write(`${file}\n${top(join(DIR, file)).join('\n')}\n`);
  }
}

runBenchmark(main);
