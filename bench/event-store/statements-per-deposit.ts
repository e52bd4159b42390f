import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { RunningSystem } from '../../test/e2e/support/system';
import { formatLoad, machineFacts, machineFactsMarkdown, writeMarkdown } from '../lib';
import { envInteger } from '../lib/env';

/*
 * Postgres statements per accepted deposit across the whole system, from pg_stat_statements: the built
 * apps (each logs in as its own role, so the role names the process) on the stack's Kafka and registry and
 * a Postgres that loads pg_stat_statements (scripts/stack/stack.sh), deposits at a steady open-loop rate,
 * until the last is visible in the query API. An idle window of the same length shows what the
 * system sends with no traffic (polls, health, metrics), which the loaded figure includes.
 *   npm run bench:statements   (BENCH_RATE deposits/s, BENCH_COMMANDS, BENCH_IDLE_SECONDS)
 */

const RATE = envInteger('BENCH_RATE', 50);
const COMMANDS = envInteger('BENCH_COMMANDS', 1_000);
const IDLE_SECONDS = envInteger('BENCH_IDLE_SECONDS', 20);
const ACCOUNTS = 20;
const RESULTS = process.env.BENCH_RESULTS ?? 'bench/results/statements-per-deposit.md';
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://ledger:ledger@127.0.0.1:5432/ledger';

interface StatementRow {
  role: string;
  query: string;
  calls: number;
}

async function adminQuery<T>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

const reset = () => adminQuery('select pg_stat_statements_reset()');

/** Every statement on the system's database since the last reset, by role (= process) and text. */
const statements = (database: string) =>
  adminQuery<StatementRow>(
    `select r.rolname as role, regexp_replace(left(s.query, 100), '\\s+', ' ', 'g') as query, s.calls::int as calls
       from pg_stat_statements s join pg_database d on d.oid = s.dbid join pg_roles r on r.oid = s.userid
      where d.datname = $1 and s.toplevel
      order by s.calls desc`,
    [database],
  );

async function deposit(system: RunningSystem, accountId: string): Promise<number> {
  const response = await fetch(`${system.url('command-service')}/accounts/${accountId}/deposits`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: system.authorization },
    body: JSON.stringify({ amount: 1 }),
  });
  if (!response.ok) throw new Error(`deposit answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { globalPosition: number }).globalPosition;
}

/** `count` deposits at RATE/s, then waits until the last is visible in the query API (one read). */
async function load(system: RunningSystem, accounts: string[], count: number): Promise<void> {
  const pending: Promise<number>[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1000) / RATE - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(deposit(system, accounts[i % accounts.length]!));
  }
  const last = Math.max(...(await Promise.all(pending)));
  // The query API holds a read for at most 2 s, then answers STALE_READ: ask again.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const visible = await fetch(
      `${system.url('query-api')}/accounts/${accounts[0]}?minPosition=${last}&maxWaitMs=2000`,
      { headers: { authorization: system.authorization } },
    );
    if (visible.ok) return;
    if (visible.status === 400 || Date.now() > deadline)
      throw new Error(`the load never became visible: ${await visible.text()}`);
  }
}

const byRole = (rows: StatementRow[]) => {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.role, (totals.get(row.role) ?? 0) + row.calls);
  return [...totals].sort((a, b) => b[1] - a[1]);
};

async function main(): Promise<void> {
  const system = await RunningSystem.start({ LOG_LEVEL: 'warn', SNAPSHOT_EVERY: '100' });
  const database = new URL(system.database.url).pathname.slice(1);
  try {
    const facts = await machineFacts(ADMIN_URL);
    const accounts: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const response = await system.command.post('/accounts').send({ ownerId: 'bench', currency: 'EUR' });
      accounts.push(response.body.accountId as string);
    }
    await load(system, accounts, Math.min(200, COMMANDS)); // warm-up: pools, prepared statements, caches
    await sleep(3_000);

    await reset();
    await sleep(IDLE_SECONDS * 1000);
    const idle = await statements(database);

    await reset();
    const started = performance.now();
    await load(system, accounts, COMMANDS);
    const seconds = (performance.now() - started) / 1000;
    const loaded = await statements(database);

    const idlePerSecond = new Map(byRole(idle).map(([role, calls]) => [role, calls / IDLE_SECONDS]));
    const roleRows = byRole(loaded).map(([role, calls]) => {
      const atRest = (idlePerSecond.get(role) ?? 0) * seconds;
      return `| ${role} | ${(calls / COMMANDS).toFixed(2)} | ${(Math.max(0, calls - atRest) / COMMANDS).toFixed(2)} | ${(idlePerSecond.get(role) ?? 0).toFixed(2)} |`;
    });
    const total = loaded.reduce((sum, row) => sum + row.calls, 0);
    const statementRows = loaded
      .filter((row) => row.calls >= COMMANDS / 20)
      .map(
        (row) =>
          `| ${row.role} | \`${row.query.replace(/\|/g, '\\|')}\` | ${(row.calls / COMMANDS).toFixed(3)} |`,
      );
    const report = [
      '# Postgres statements per accepted deposit, whole system',
      '',
      machineFactsMarkdown(facts),
      `- Load: ${COMMANDS} deposits at ${RATE}/s open loop over ${ACCOUNTS} accounts in ${seconds.toFixed(1)} s until visible in the query API; load average at the end ${formatLoad(loadavg())}`,
      `- Command: \`npm run bench:statements\`; pg_stat_statements (top-level statements; a call of append_to_stream is one)`,
      '',
      '| role (process) | statements per deposit | less its at-rest rate | at rest, per second |',
      '| --- | ---: | ---: | ---: |',
      ...roleRows,
      `| **all** | **${(total / COMMANDS).toFixed(2)}** | | |`,
      '',
      'Statements sent at least once per 20 deposits:',
      '',
      '| role | statement | per deposit |',
      '| --- | --- | ---: |',
      ...statementRows,
      '',
    ].join('\n');
    process.stdout.write(report);
    await writeMarkdown(RESULTS, report);
  } finally {
    await system.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
