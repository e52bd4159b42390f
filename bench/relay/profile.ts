import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { BenchWorld } from './bench-world';
import { readSettings } from './settings';
import { relayRun, seed } from './throughput';

// npm run bench:relay:profile — a CPU profile of the relay alone (seeding excluded): one store of
// BENCH_EVENTS events relayed once with the inspector's sampling profiler on. Prints self time per
// package and the top functions; the .cpuprofile (for Chrome DevTools) goes to BENCH_PROFILE_PATH.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const packageOf = (url: string): string => {
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1];
  if (url.startsWith('node:') || url === '') return '(node internals, GC, idle)';
  const own = /\/(libs|apps|bench)\/([^/]+)/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
};

function summarize(profile: Profile): { byPackage: [string, number][]; byFunction: [string, number][] } {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, index) =>
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1_000),
  );
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const pkg = packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
    const name = `${functionName || '(anonymous)'} ${pkg}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  }
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return { byPackage: sorted(byPackage), byFunction: sorted(byFunction).slice(0, 25) };
}

async function main(): Promise<void> {
  const settings = readSettings();
  const world = await BenchWorld.create(settings.partitions);
  const roundStore = await world.roundStore();
  const session = new Session();
  try {
    await seed(roundStore.store, settings.events);
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    const { perSecond } = await relayRun(world, roundStore.database.url, settings.events, settings.batchSize);
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    const path = process.env.BENCH_PROFILE_PATH ?? '/tmp/relay.cpuprofile';
    await writeFile(path, JSON.stringify(profile));
    const total = profile.timeDeltas.reduce((sum, delta) => sum + delta, 0) / 1_000;
    const { byPackage, byFunction } = summarize(profile);
    const line = ([name, ms]: [string, number]) =>
      `| ${name} | ${ms.toFixed(0)} | ${((100 * ms) / total).toFixed(1)} % |`;
    process.stdout.write(
      [
        `Relay: ${settings.events} events, batch ${settings.batchSize}, ${perSecond.toFixed(0)} events/s; ` +
          `profiled ${total.toFixed(0)} ms; load average ${loadavg()
            .map((v) => v.toFixed(2))
            .join(' / ')}; profile ${path}`,
        '',
        '| Package | Self ms | Share |',
        '| --- | ---: | ---: |',
        ...byPackage.map(line),
        '',
        '| Function | Self ms | Share |',
        '| --- | ---: | ---: |',
        ...byFunction.map(line),
        '',
      ].join('\n'),
    );
  } finally {
    session.disconnect();
    await roundStore.close();
    await world.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
