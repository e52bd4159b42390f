import { LedgerClient } from './support/ledger-client';
import { RunningSystem } from './support/system';

// Every command through the running apps: command service → event store → relay → Kafka → projectors
// (and the transfer saga) → read models → query API, read back with the consistency token.
describe('the running ledger: commands to queries', () => {
  let system: RunningSystem;
  let ledger: LedgerClient;

  beforeAll(async () => {
    system = await RunningSystem.start();
    ledger = new LedgerClient(system);
  });
  afterAll(() => system?.stop());

  it('shows every account command in the read model, with running balances', async () => {
    const { accountId, globalPosition: opened } = await ledger.openAccount({ overdraftLimit: 100 });
    expect(await ledger.read(`/accounts/${accountId}`, opened)).toMatchObject({
      balance: 0,
      status: 'open',
      overdraftLimit: 100,
    });

    await ledger.command(`/accounts/${accountId}/deposits`, { amount: 1_000, reference: 'salary' });
    const withdrawn = await ledger.command(`/accounts/${accountId}/withdrawals`, { amount: 1_050 });
    expect(await ledger.read(`/accounts/${accountId}`, withdrawn.globalPosition)).toMatchObject({
      balance: -50,
      version: 3,
    });

    const frozen = await ledger.command(`/accounts/${accountId}/freeze`, { reason: 'audit' });
    expect(await ledger.read(`/accounts/${accountId}`, frozen.globalPosition)).toMatchObject({
      status: 'frozen',
      freezeReason: 'audit',
    });
    const unfrozen = await ledger.command(`/accounts/${accountId}/unfreeze`);
    expect(await ledger.read(`/accounts/${accountId}`, unfrozen.globalPosition)).toMatchObject({
      status: 'open',
      freezeReason: null,
    });

    await ledger.command(`/accounts/${accountId}/deposits`, { amount: 50 });
    const closed = await ledger.command(`/accounts/${accountId}/close`);
    expect(await ledger.read(`/accounts/${accountId}`, closed.globalPosition)).toMatchObject({
      status: 'closed',
      balance: 0,
    });

    const statement = await ledger.read<{
      items: Array<{ kind: string; amount: number; balanceAfter: number }>;
    }>(`/accounts/${accountId}/statement`, closed.globalPosition);
    expect(statement.items.map(({ kind, amount, balanceAfter }) => [kind, amount, balanceAfter])).toEqual([
      ['deposit', 1_000, 1_000],
      ['withdrawal', -1_050, -50],
      ['deposit', 50, 0],
    ]);
    const owned = await ledger.read<{ items: Array<{ accountId: string }> }>(
      `/accounts?ownerId=e2e`,
      closed.globalPosition,
    );
    expect(owned.items.map((item) => item.accountId)).toContain(accountId);
  });

  it('completes a transfer through the saga and shows it on both accounts', async () => {
    const from = await ledger.openAccount();
    const to = await ledger.openAccount();
    await ledger.command(`/accounts/${from.accountId}/deposits`, { amount: 700 });
    const requested = await ledger.command(
      '/transfers',
      { fromAccountId: from.accountId, toAccountId: to.accountId, amount: 300 },
      202,
    );

    expect(await ledger.settledTransfer(requested.transferId!)).toMatchObject({ status: 'completed' });
    const [source, destination] = await Promise.all([
      ledger.read(`/accounts/${from.accountId}`),
      ledger.read(`/accounts/${to.accountId}`),
    ]);
    expect([source.balance, destination.balance]).toEqual([400, 300]);
    const listed = await ledger.read<{ items: Array<{ transferId: string }> }>(
      `/transfers?accountId=${to.accountId}`,
    );
    expect(listed.items.map((item) => item.transferId)).toEqual([requested.transferId]);
  });

  it('refunds the source when the destination refuses the credit, and fails a transfer without funds', async () => {
    const from = await ledger.openAccount();
    const frozen = await ledger.openAccount();
    await ledger.command(`/accounts/${from.accountId}/deposits`, { amount: 500 });
    await ledger.command(`/accounts/${frozen.accountId}/freeze`, { reason: 'sanctions check' });

    const refused = await ledger.command(
      '/transfers',
      { fromAccountId: from.accountId, toAccountId: frozen.accountId, amount: 200 },
      202,
    );
    expect(await ledger.settledTransfer(refused.transferId!)).toMatchObject({
      status: 'failed',
      failureStage: 'credit',
    });
    const statement = await ledger.read<{
      items: Array<{ kind: string; amount: number; balanceAfter: number }>;
    }>(`/accounts/${from.accountId}/statement`);
    expect(statement.items.map(({ kind, amount, balanceAfter }) => [kind, amount, balanceAfter])).toEqual([
      ['deposit', 500, 500],
      ['transfer_debit', -200, 300],
      ['transfer_refund', 200, 500],
    ]);

    const unfunded = await ledger.command(
      '/transfers',
      { fromAccountId: from.accountId, toAccountId: frozen.accountId, amount: 9_999 },
      202,
    );
    expect(await ledger.settledTransfer(unfunded.transferId!)).toMatchObject({
      status: 'failed',
      failureStage: 'debit',
      failureReason: 'INSUFFICIENT_FUNDS',
    });
  });

  it('conserves money: balances in the read model add up to deposits minus withdrawals', async () => {
    const accounts = await Promise.all([0, 1, 2, 3].map(() => ledger.openAccount()));
    for (const { accountId } of accounts)
      await ledger.command(`/accounts/${accountId}/deposits`, { amount: 1_000 });
    const transfers = [];
    for (let i = 0; i < 12; i++) {
      const from = accounts[i % 4]!.accountId;
      const to = accounts[(i + 1) % 4]!.accountId;
      transfers.push(
        ledger.command('/transfers', { fromAccountId: from, toAccountId: to, amount: 100 + i }, 202),
      );
    }
    await ledger.command(`/accounts/${accounts[0]!.accountId}/withdrawals`, { amount: 250 });
    for (const requested of await Promise.all(transfers)) await ledger.settledTransfer(requested.transferId!);
    const balances = await Promise.all(
      accounts.map(({ accountId }) => ledger.read<{ balance: number }>(`/accounts/${accountId}`)),
    );

    const { rows } = await system.sql.query<{ deposits: string; withdrawals: string }>(
      `select coalesce(sum(amount) filter (where kind = 'deposit'), 0) as deposits,
              coalesce(-sum(amount) filter (where kind = 'withdrawal'), 0) as withdrawals
         from account_statement_entries where account_id = any($1)`,
      [accounts.map((account) => account.accountId)],
    );
    const total = balances.reduce((sum, account) => sum + account.balance, 0);
    expect(total).toBe(Number(rows[0]!.deposits) - Number(rows[0]!.withdrawals));
    expect(total).toBe(4 * 1_000 - 250);
  });

  it('runs every app as its own database role and the schema as the owner, none as the bootstrap superuser', async () => {
    // The ops API holds a connection only while it is used (its pool lets idle ones go): use it now.
    await system.opsApi.get('/health/ready').expect(200);
    const { rows } = await system.sql.query<{ usename: string }>(
      `select distinct usename from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() order by 1`,
      [system.database.name],
    );
    expect(rows.map((row) => row.usename)).toEqual([
      'ledger_command_service',
      'ledger_event_relay',
      'ledger_ops_api',
      'ledger_projector_accounts',
      'ledger_projector_transfers',
      'ledger_query_api',
      'ledger_transfer_saga',
    ]);
    const { rows: owners } = await system.sql.query<{ owner: string }>(
      `select distinct pg_get_userbyid(relowner) as owner from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'`,
    );
    expect(owners).toEqual([{ owner: 'ledger_owner' }]);
  });
});
