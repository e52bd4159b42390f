// Cost of authentication on the command round trip: the command service in-process on a real HTTP port,
// once verifying an ES256 bearer token on every request (the production path) and once with token
// verification replaced by a fixed principal (AuthModuleOptions.authenticator, a test-only seam; the
// guard, role and ownership checks still run). Same database, same run; the two take turns per round.
//   npx tsx bench/auth/main.ts   (BENCH_REQUESTS per round and variant, BENCH_ROUNDS, BENCH_CONCURRENCY)
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { Authenticator } from '@ledger/auth';
import { runMigrations } from '@ledger/event-store';
import { createHttpApp } from '@ledger/http';
import { createTestDatabase, testAuthEnv, testToken } from '@ledger/testing';
import { loadavg } from 'node:os';
import { CommandServiceModule } from '../../apps/command-service/src/app.module';
import { loadCommandServiceConfig } from '../../apps/command-service/src/config';
import { mapCommandError } from '../../apps/command-service/src/shared/problem-mapping';
import { formatLoad, formatNumber, formatRatio, machineFacts, machineFactsMarkdown, markdownTable, median, percentile, writeMarkdown } from '../lib';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 600);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const RESULTS = process.env.BENCH_RESULTS ?? 'bench/results/auth.md';

type Variant = 'jwt' | 'fixed';

async function start(databaseUrl: string, authenticator?: Authenticator): Promise<{ app: INestApplication; base: string }> {
  const config = loadCommandServiceConfig({ ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, ...testAuthEnv() });
  const app = await createHttpApp(CommandServiceModule.forRoot(config, { authenticator }), {
    title: 'bench',
    description: 'bench',
    mapApplicationError: mapCommandError,
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, base: `http://127.0.0.1:${port}` };
}

async function post(base: string, authorization: string, path: string, body: object) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { accountId?: string };
}

/** Round-trip times of `count` deposits, `CONCURRENCY` in flight, each on its own account (no contention). */
async function deposits(base: string, authorization: string, accounts: string[], count: number): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  const worker = async (lane: number) => {
    while (next < count) {
      next++;
      const started = performance.now();
      await post(base, authorization, `/accounts/${accounts[lane]}/deposits`, { amount: 1 });
      times.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, lane) => worker(lane)));
  return times;
}

async function main(): Promise<void> {
  const database = await createTestDatabase('bench_auth');
  await runMigrations(database.url);
  const authorization = `Bearer ${await testToken('bench', 'admin')}`;
  const fixed: Authenticator = { authenticate: async () => ({ subject: 'bench', role: 'admin' }) };
  const apps: Record<Variant, { app: INestApplication; base: string }> = {
    jwt: await start(database.url),
    fixed: await start(database.url, fixed),
  };
  try {
    const facts = await machineFacts(database.url);
    const accounts: Record<Variant, string[]> = { jwt: [], fixed: [] };
    for (const variant of ['jwt', 'fixed'] as const) {
      for (let i = 0; i < CONCURRENCY; i++) {
        accounts[variant].push((await post(apps[variant].base, authorization, '/accounts', { ownerId: 'bench', currency: 'EUR' })).accountId!);
      }
      await deposits(apps[variant].base, authorization, accounts[variant], 100); // warm-up
    }
    const rounds: Array<Record<Variant, { p50: number; p99: number }> & { ratio: number }> = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const order: Variant[] = r % 2 === 1 ? ['jwt', 'fixed'] : ['fixed', 'jwt'];
      const result = {} as Record<Variant, { p50: number; p99: number }>;
      for (const variant of order) {
        const times = await deposits(apps[variant].base, authorization, accounts[variant], REQUESTS);
        result[variant] = { p50: percentile(times, 50), p99: percentile(times, 99) };
      }
      const ratio = result.jwt.p50 / result.fixed.p50;
      rounds.push({ ...result, ratio });
      process.stderr.write(`round ${r}: p50 with JWT ${result.jwt.p50.toFixed(2)} ms, fixed principal ${result.fixed.p50.toFixed(2)} ms, ratio ${ratio.toFixed(3)}\n`);
    }
    const m = (pick: (round: (typeof rounds)[number]) => number) => median(rounds.map(pick));
    const range = (pick: (round: (typeof rounds)[number]) => number) =>
      `${formatNumber(Math.min(...rounds.map(pick)), 2)}–${formatNumber(Math.max(...rounds.map(pick)), 2)}`;
    const report = [
      '# Cost of authentication on the command round trip',
      '',
      machineFactsMarkdown(facts),
      `- Load: ${REQUESTS} deposits per variant and round, ${CONCURRENCY} in flight (closed loop), ${ROUNDS} rounds, the variants alternating first; load average at the end ${formatLoad(loadavg())}`,
      '',
      markdownTable(
        ['variant (median of rounds)', 'p50 ms', 'p99 ms'],
        [
          ['ES256 bearer token verified per request', formatNumber(m((r) => r.jwt.p50), 2), formatNumber(m((r) => r.jwt.p99), 2)],
          ['fixed principal (verification replaced)', formatNumber(m((r) => r.fixed.p50), 2), formatNumber(m((r) => r.fixed.p99), 2)],
        ],
        [false, true, true],
      ),
      '',
      `Round trip with verification / without: ${formatRatio(m((r) => r.ratio))} at p50 (median of per-round ratios, range ${range((r) => r.ratio)}).`,
      'Both variants run the guard, the role check and the ownership check; only the signature and claim',
      'verification of jose differs. The key is a PEM public key (no JWKS fetch on the request path).',
    ].join('\n');
    process.stdout.write(`${report}\n`);
    await writeMarkdown(RESULTS, report);
  } finally {
    await Promise.all(Object.values(apps).map(({ app }) => app.close()));
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
