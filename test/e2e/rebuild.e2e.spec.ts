import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { LedgerClient } from './support/ledger-client';
import { RunningSystem } from './support/system';

// `ops-cli projections rebuild` against the running apps, under a steady query load: no answer is ever a
// partial (empty, half-built) model, and commands issued during the rebuild are in the new version.

const ROOT = join(__dirname, '../..');
const STATIC_OWNER = 'rebuild-static';

/** What a read answers, without the echo of the request's own time (knownAt and asOf default to now). */
function stable(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const { knownAt: _knownAt, asOf: _asOf, ...rest } = body as Record<string, unknown>;
  return rest;
}

describe('projection rebuild under query load', () => {
  let system: RunningSystem;
  let ledger: LedgerClient;

  beforeAll(async () => {
    // The query loops ask as fast as the API answers: the per-client rate limit is not what is tested here.
    system = await RunningSystem.start({ READ_MODEL_VERSION_POLL_MS: '200', HTTP_RATE_LIMIT: '0' });
    ledger = new LedgerClient(system);
  });
  afterAll(() => system?.stop());

  it('answers from the old or the new version, never a mix or an empty model, and keeps commands issued meanwhile', async () => {
    // A model that does not change while the rebuild runs: every read of it must give the same answer.
    const accounts: string[] = [];
    let position = 0;
    for (let i = 0; i < 6; i++) {
      const { accountId } = await ledger.openAccount({ ownerId: STATIC_OWNER });
      accounts.push(accountId);
      position = (await ledger.command(`/accounts/${accountId}/deposits`, { amount: 1_000 + i }))
        .globalPosition;
    }
    const transfer = await ledger.command(
      '/transfers',
      {
        fromAccountId: accounts[0],
        toAccountId: accounts[1],
        amount: 250,
        currency: 'EUR',
      },
      202,
    );
    await ledger.settledTransfer(transfer.transferId!);
    position = Math.max(
      position,
      (await ledger.command(`/accounts/${accounts[2]}/freeze`, { reason: 'audit' })).globalPosition,
    );
    const paths = [
      ...accounts.map((id) => `/accounts/${id}`),
      ...accounts.map((id) => `/accounts/${id}/statement`),
      ...accounts.slice(0, 2).map((id) => `/accounts/${id}/history`),
      `/accounts?ownerId=${STATIC_OWNER}`,
    ];
    const expected = new Map<string, unknown>();
    for (const path of paths) expected.set(path, stable(await ledger.read(path, position)));

    // The query load: every answer is compared with the expected one as it arrives.
    const answers: Array<{ at: number; path: string; status: number; same: boolean }> = [];
    let loading = true;
    const load = Promise.all(
      Array.from({ length: 3 }, async (_, worker) => {
        for (let i = worker; loading; i++) {
          const path = paths[i % paths.length]!;
          const response = await system.query.get(path).timeout(10_000);
          answers.push({
            at: Date.now(),
            path,
            status: response.status,
            same: JSON.stringify(stable(response.body)) === JSON.stringify(expected.get(path)),
          });
        }
      }),
    );

    // Commands during the rebuild, on an account of their own.
    const moving = await ledger.openAccount({ ownerId: 'rebuild-moving' });
    let commanding = true;
    const deposits: number[] = [];
    let lastPosition = moving.globalPosition;
    const commands = (async () => {
      while (commanding) {
        const amount = 10 + deposits.length;
        lastPosition = (await ledger.command(`/accounts/${moving.accountId}/deposits`, { amount }))
          .globalPosition;
        deposits.push(amount);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const started = Date.now();
    const stopLoad = async () => {
      commanding = false;
      await commands;
      loading = false;
      await load;
    };
    const cli = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'node',
        [
          join(ROOT, 'dist/apps/ops-cli/src/main.js'),
          'projections',
          'rebuild',
          'accounts',
          '--grace-seconds',
          '1',
          '--lag-bound',
          '0',
        ],
        { env: system.env(), cwd: ROOT, timeout: 90_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    }).finally(async () => {
      // Some load after the swap too, while the live projector moves over to the new group.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await stopLoad();
    });

    expect({
      code: cli.code,
      stderr: cli.stderr.split('\n').filter((line) => !line.startsWith('rebuild accounts:')),
    }).toEqual({ code: 0, stderr: [''] });
    expect(cli.stdout).toContain('swapped: accounts is version 2');
    const { rows } = await system.sql.query<{
      swapped_at: Date;
      state: string;
      previous_dropped_at: Date | null;
    }>(
      `select swapped_at, state, previous_dropped_at from read_model_rebuilds where read_model = 'accounts'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'swapped' });
    expect(rows[0]!.previous_dropped_at).not.toBeNull();
    const swappedAt = rows[0]!.swapped_at.getTime();

    // Every answer, before and after the swap, is the model as it was: never empty, partial or mixed.
    const wrong = answers.filter((answer) => answer.status !== 200 || !answer.same);
    expect(wrong).toEqual([]);
    expect(answers.filter((answer) => answer.at >= started && answer.at < swappedAt).length).toBeGreaterThan(
      10,
    );
    expect(answers.filter((answer) => answer.at > swappedAt).length).toBeGreaterThan(10);

    // Commands issued during the rebuild are in the new version, and later ones reach it through the
    // live projector, now on the new consumer group.
    expect(deposits.length).toBeGreaterThan(3);
    const after = await ledger.command(`/accounts/${moving.accountId}/deposits`, { amount: 5 });
    const total = deposits.reduce((sum, amount) => sum + amount, 5);
    expect(await ledger.read(`/accounts/${moving.accountId}`, after.globalPosition)).toMatchObject({
      balance: total,
      version: deposits.length + 2,
    });
    await ledger.read(
      `/accounts/${moving.accountId}/statement`,
      Math.max(after.globalPosition, lastPosition),
    );
    const { rows: entries } = await system.sql.query(
      'select amount from account_statement_entries where account_id = $1 order by stream_version',
      [moving.accountId],
    );
    expect(entries.map((entry) => Number(entry.amount))).toEqual([...deposits, 5]);
    const { rows: active } = await system.sql.query(
      `select version, group_name from read_model_active where read_model = 'accounts'`,
    );
    expect(active).toEqual([{ version: 2, group_name: `${system.prefix}ledger.projector.accounts.v2` }]);
  }, 120_000);
});
