import { TcpProxy, waitFor } from '@ledger/testing';
import { RetryingLoad } from './support/retrying-load';
import { APPS, RunningSystem } from './support/system';

const ACCOUNTS = 6;
const OPENING_DEPOSIT = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;

// Every app reaches Postgres through a proxy the test can stop. Under a steady load of deposits,
// withdrawals and transfers, the database's connections are terminated again and again (the server
// sends 57P01 "terminating connection due to administrator command", as on a restart), then the
// database is unreachable for a few seconds. No process may die, clients see 503 problem+json (never a
// 500, a refused connection or a hang), and afterwards everything converges with nothing lost or doubled.
describe('every app through database restarts and an outage', () => {
  let system: RunningSystem;
  let proxy: TcpProxy;
  let load: RetryingLoad;

  beforeAll(async () => {
    const pg = new URL(process.env.DATABASE_URL ?? 'postgres://127.0.0.1:5432/ledger');
    proxy = await TcpProxy.to(pg.hostname, Number(pg.port || 5432));
    system = await RunningSystem.start(
      { LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn' },
      { databaseThrough: proxy },
    );
    load = new RetryingLoad(`http://127.0.0.1:${system.ports['command-service']}`, system.authorization);
  });
  afterAll(async () => {
    await proxy?.start();
    await system?.stop();
    await proxy?.stop();
  });

  /** What a Postgres restart does to every session of the database: 57P01, then the socket closes. */
  async function terminateConnections(): Promise<number> {
    const { rows } = await system.sql.query<{ n: number }>(
      `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where datname = $1 and pid <> pg_backend_pid() and application_name <> 'e2e-observer'`,
      [system.database.name],
    );
    return rows[0]!.n;
  }

  it('survives, answers 503 problem+json meanwhile, and converges with nothing lost or duplicated', async () => {
    await system.sql.query(`set application_name = 'e2e-observer'`);
    const accounts: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const opened = await load.sendNow('/accounts', { ownerId: 'faults', currency: 'EUR' });
      accounts.push(opened.accountId as string);
      await load.sendNow(`/accounts/${opened.accountId}/deposits`, { amount: OPENING_DEPOSIT });
    }

    // About 20 commands a second, for the whole sequence of faults.
    let loading = true;
    const generator = (async () => {
      while (loading) {
        const kind = Math.random();
        const account = pick(accounts);
        if (kind < 0.3)
          load.send(`/accounts/${account}/deposits`, { amount: 1 + Math.floor(Math.random() * 50) });
        else if (kind < 0.5)
          load.send(`/accounts/${account}/withdrawals`, { amount: 1 + Math.floor(Math.random() * 50) });
        else {
          const to = pick(accounts.filter((id) => id !== account));
          load.send('/transfers', {
            fromAccountId: account,
            toAccountId: to,
            amount: 1 + Math.floor(Math.random() * 100),
          });
        }
        await sleep(50);
      }
    })();

    let terminated = 0;
    for (let round = 0; round < 5; round++) {
      await sleep(800);
      terminated += await terminateConnections();
    }
    await proxy.stop();
    await sleep(3_000);
    await proxy.start();
    for (let round = 0; round < 3; round++) {
      await sleep(800);
      terminated += await terminateConnections();
    }
    await sleep(1_000);
    loading = false;
    await generator;
    await load.settled();

    expect(APPS.filter((app) => !system.running(app))).toEqual([]);
    expect(load.unexpected).toEqual([]);
    expect(terminated).toBeGreaterThan(0);
    expect(load.count(503)).toBeGreaterThan(0);

    // Convergence: every app ready again, every transfer terminal, the read models equal the store.
    for (const app of APPS) await system.waitReady(app, 30_000);
    const transferIds = load.accepted
      .filter((entry) => entry.path === '/transfers')
      .map((entry) => entry.response.transferId as string);
    expect(transferIds.length).toBeGreaterThan(10);
    await waitFor(
      async () => {
        const { rows } = await system.sql.query<{ n: number }>(
          `select count(*)::int as n from transfers where transfer_id = any($1::uuid[]) and status in ('completed', 'failed')`,
          [transferIds],
        );
        return rows[0]!.n === transferIds.length;
      },
      { timeoutMs: 45_000, what: 'every accepted transfer to reach a terminal state' },
    );

    // Exactly one event per accepted deposit and withdrawal: nothing lost, nothing doubled by the retries.
    const sumOf = (path: string) =>
      load.accepted
        .filter((entry) => entry.path.endsWith(path))
        .reduce((sum, entry) => sum + Number(entry.body.amount), 0);
    const { rows: stored } = await system.sql.query<{ event_type: string; n: number; total: string }>(
      `select event_type, count(*)::int as n, coalesce(sum((data->>'amount')::bigint), 0)::text as total from events
        where event_type in ('ledger.accounts.MoneyDeposited', 'ledger.accounts.MoneyWithdrawn') group by event_type`,
    );
    const byType = Object.fromEntries(stored.map(({ event_type, n, total }) => [event_type, { n, total }]));
    expect(byType['ledger.accounts.MoneyDeposited']).toMatchObject({
      n: load.accepted.filter((entry) => entry.path.endsWith('/deposits')).length,
      total: String(sumOf('/deposits')),
    });
    expect(byType['ledger.accounts.MoneyWithdrawn'] ?? { n: 0, total: '0' }).toMatchObject({
      n: load.accepted.filter((entry) => entry.path.endsWith('/withdrawals')).length,
      total: String(sumOf('/withdrawals')),
    });

    // Money is conserved, and every account's read balance equals its command-side state.
    await waitFor(
      async () => {
        const { rows } = await system.sql.query<{ account_id: string; balance: string }>(
          'select account_id, balance::text from account_summaries where account_id = any($1::uuid[])',
          [accounts],
        );
        const total = rows.reduce((sum, row) => sum + Number(row.balance), 0);
        if (total !== sumOf('/deposits') - sumOf('/withdrawals')) return false;
        for (const row of rows) {
          const state = await system.command.get(`/accounts/${row.account_id}/state`);
          if (state.status !== 200 || Number(state.body.state.balance) !== Number(row.balance)) return false;
        }
        return rows.length === ACCOUNTS;
      },
      { timeoutMs: 30_000, what: 'read balances to equal the command side and conserve money' },
    );
  });
});
