// Cost of authentication on the command round trip: the command service in-process on a real HTTP port,
// once verifying an ES256 bearer token on every request (the production path) and once with token
// verification replaced by a fixed principal (AuthModuleOptions.authenticator, a test-only seam; the
// guard, role and ownership checks still run). Same database, same run; the two take turns per round.
//   npm run bench:auth   (BENCH_REQUESTS per round and variant, BENCH_ROUNDS, BENCH_CONCURRENCY)
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { type Authenticator, JwtAuthenticator } from '@ledger/auth';
import { runMigrations } from '@ledger/event-store';
import { createTestDatabase, testAuthEnv, testToken } from '@ledger/testing';
import { loadavg } from 'node:os';
import {
  envInteger,
  formatLoad,
  formatNumber,
  formatRatio,
  machineFacts,
  machineFactsMarkdown,
  markdownTable,
  median,
  percentile,
  publishReport,
  runBenchmark,
} from '../lib';

const REQUESTS = envInteger('BENCH_REQUESTS', 600);
const ROUNDS = envInteger('BENCH_ROUNDS', 3);
// The variants alternate every CHUNK requests within a round, so a busy moment of a shared machine falls
// on both alike.
const CHUNK = 50;
const VERIFICATIONS = 2_000;
const CONCURRENCY = envInteger('BENCH_CONCURRENCY', 4);
const RESULTS = process.env.BENCH_RESULTS ?? 'bench/results/auth.md';

// Nest injects by the decorator metadata tsc emits and tsx does not: the app comes from the build (dist/).
/* eslint-disable @typescript-eslint/no-require-imports */
const { CommandServiceModule } =
  require('../../dist/apps/command-service/src/app.module') as typeof import('../../apps/command-service/src/app.module');
const { loadCommandServiceConfig } =
  require('../../dist/apps/command-service/src/config') as typeof import('../../apps/command-service/src/config');
const { mapCommandError } =
  require('../../dist/apps/command-service/src/shared/problem-mapping') as typeof import('../../apps/command-service/src/shared/problem-mapping');
const { createHttpApp } = require('../../dist/libs/http/src') as typeof import('@ledger/http');
/* eslint-enable @typescript-eslint/no-require-imports */

type Variant = 'jwt' | 'fixed';

async function start(
  databaseUrl: string,
  authenticator?: Authenticator,
): Promise<{ app: INestApplication; base: string }> {
  const config = loadCommandServiceConfig({
    ...process.env,
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    ...testAuthEnv(),
  });
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
async function deposits(
  base: string,
  authorization: string,
  accounts: string[],
  count: number,
): Promise<number[]> {
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
        accounts[variant].push(
          (await post(apps[variant].base, authorization, '/accounts', { ownerId: 'bench', currency: 'EUR' }))
            .accountId!,
        );
      }
      await deposits(apps[variant].base, authorization, accounts[variant], 100); // warm-up
    }
    const rounds: Array<Record<Variant, { p50: number; p99: number }> & { ratio: number }> = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const times: Record<Variant, number[]> = { jwt: [], fixed: [] };
      for (let chunk = 0; chunk < REQUESTS / CHUNK; chunk++) {
        const order: Variant[] = chunk % 2 === 0 ? ['jwt', 'fixed'] : ['fixed', 'jwt'];
        for (const variant of order)
          times[variant].push(
            ...(await deposits(apps[variant].base, authorization, accounts[variant], CHUNK)),
          );
      }
      const result = {} as Record<Variant, { p50: number; p99: number }>;
      for (const variant of ['jwt', 'fixed'] as const)
        result[variant] = { p50: percentile(times[variant], 50), p99: percentile(times[variant], 99) };
      const ratio = result.jwt.p50 / result.fixed.p50;
      rounds.push({ ...result, ratio });
      process.stderr.write(
        `round ${r}: p50 with JWT ${result.jwt.p50.toFixed(2)} ms, fixed principal ${result.fixed.p50.toFixed(2)} ms, ratio ${ratio.toFixed(3)}\n`,
      );
    }
    // The verification alone, in this process: what the ratio above cannot resolve under noise.
    const verifier = new JwtAuthenticator(loadCommandServiceConfig({ ...process.env, ...testAuthEnv() }));
    const verifyRounds: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const started = performance.now();
      for (let i = 0; i < VERIFICATIONS; i++) await verifier.authenticate(authorization);
      verifyRounds.push(((performance.now() - started) / VERIFICATIONS) * 1000);
    }
    const verifyMicros = median(verifyRounds);
    const m = (pick: (round: (typeof rounds)[number]) => number) => median(rounds.map(pick));
    const range = (pick: (round: (typeof rounds)[number]) => number) =>
      `${formatNumber(Math.min(...rounds.map(pick)), 2)}–${formatNumber(Math.max(...rounds.map(pick)), 2)}`;
    const report = [
      '# Cost of authentication on the command round trip',
      '',
      machineFactsMarkdown(facts),
      `- Load: ${REQUESTS} deposits per variant and round, ${CONCURRENCY} in flight (closed loop), ${ROUNDS} rounds, the variants alternating every ${CHUNK} requests; load average at the end ${formatLoad(loadavg())}`,
      '',
      markdownTable(
        ['variant (median of rounds)', 'p50 ms', 'p99 ms'],
        [
          [
            'ES256 bearer token verified per request',
            formatNumber(
              m((r) => r.jwt.p50),
              2,
            ),
            formatNumber(
              m((r) => r.jwt.p99),
              2,
            ),
          ],
          [
            'fixed principal (verification replaced)',
            formatNumber(
              m((r) => r.fixed.p50),
              2,
            ),
            formatNumber(
              m((r) => r.fixed.p99),
              2,
            ),
          ],
        ],
        [false, true, true],
      ),
      '',
      `Round trip with verification / without: ${formatRatio(m((r) => r.ratio))} at p50 (median of per-round ratios, range ${range((r) => r.ratio)}).`,
      `Verifying one token alone (jose, ES256, PEM key) takes ${formatNumber(verifyMicros, 0)} µs (median of ${ROUNDS} × ${VERIFICATIONS}), ${formatNumber((verifyMicros / 1000 / m((r) => r.fixed.p50)) * 100, 2)} % of the`,
      "unauthenticated round trip's p50: the expected ratio is 1 + that share; a measured ratio within the noise of the machine around it says no more.",
      'Both variants run the guard, the role check and the ownership check; only the signature and claim',
      'verification of jose differs. The key is a PEM public key (no JWKS fetch on the request path).',
    ].join('\n');
    await publishReport(RESULTS, report);
  } finally {
    await Promise.all(Object.values(apps).map(({ app }) => app.close()));
    await database.drop();
  }
}

runBenchmark(main);
