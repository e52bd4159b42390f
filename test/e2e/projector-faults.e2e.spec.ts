import { ACCOUNT_READ_MODEL_TABLES } from '@ledger/read-models';
import { CONSUMER_GROUP_COMMAND, kafkaBrokers, kafkaTool, waitFor } from '@ledger/testing';
import { LedgerClient } from './support/ledger-client';
import { RunningSystem } from './support/system';

const ACCOUNTS_PROJECTOR = 'projector-accounts';

// The accounts projector under faults: crashes, consumer-group resets with Kafka's own tool, rebuilds,
// and a poison event parked in the dead-letter topic until an operator redrives it.
describe('the accounts projector under faults', () => {
  let system: RunningSystem;
  let ledger: LedgerClient;
  const group = () => `${system.prefix}ledger.projector.accounts`;
  const topic = () => `${system.prefix}ledger.account.events`;

  beforeAll(async () => {
    system = await RunningSystem.start({ MAX_BATCH_SIZE: '50' });
    ledger = new LedgerClient(system);
  });
  afterAll(() => system?.stop());

  /** The account read model as rows, in a stable order, for equality checks. */
  async function readModel(): Promise<unknown[]> {
    const summaries = await system.sql.query(
      'select account_id, balance::text, status, version, last_global_position::text from account_summaries order by account_id',
    );
    const entries = await system.sql.query(
      'select account_id, stream_version, kind, amount::text, balance_after::text from account_statement_entries order by account_id, stream_version',
    );
    return [summaries.rows, entries.rows];
  }

  async function caughtUp(): Promise<void> {
    await waitFor(
      async () => {
        const { rows } = await system.sql.query<{ n: string }>('select count(*) as n from events');
        const applied = await system.sql.query<{ n: string }>(
          `select coalesce(sum(version), 0) as n from projection_checkpoints where projection = $1`,
          [group()],
        );
        const { rows: accountEvents } = await system.sql.query<{ n: string }>(
          `select count(*) as n from events where stream_type = 'account'`,
        );
        return rows.length > 0 && Number(applied.rows[0]!.n) === Number(accountEvents[0]!.n);
      },
      { timeoutMs: 60_000, what: 'the accounts projector to apply every account event' },
    );
  }

  async function load(accounts: number, depositsEach: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < accounts; i++) ids.push((await ledger.openAccount()).accountId);
    await Promise.all(
      ids.map(async (id) => {
        for (let d = 1; d <= depositsEach; d++)
          await ledger.command(`/accounts/${id}/deposits`, { amount: d });
      }),
    );
    return ids;
  }

  async function rebuildFromScratch(): Promise<void> {
    await system.stopApp(ACCOUNTS_PROJECTOR);
    await system.ops(['projections', 'replay', group(), '--yes']);
    await system.restartApp(ACCOUNTS_PROJECTOR);
    await caughtUp();
  }

  it('survives SIGKILL in the middle of its batches: the read model equals a rebuild from scratch', async () => {
    const loading = load(20, 25);
    await waitFor(
      async () => (await system.sql.query('select 1 from account_statement_entries limit 1')).rowCount! > 0,
      { what: 'the first entries' },
    );
    await system.stopApp(ACCOUNTS_PROJECTOR, 'SIGKILL');
    await system.restartApp(ACCOUNTS_PROJECTOR);
    await loading;
    await caughtUp();
    const afterCrash = await readModel();

    await rebuildFromScratch();
    expect(await readModel()).toEqual(afterCrash);
  });

  it("changes nothing when the group is reset to earliest with Kafka's own tool, and rebuilds identically after a truncate", async () => {
    await load(5, 5);
    await caughtUp();
    const before = await readModel();

    await system.stopApp(ACCOUNTS_PROJECTOR);
    const output = await kafkaTool(CONSUMER_GROUP_COMMAND, [
      '--bootstrap-server',
      kafkaBrokers().join(','),
      '--group',
      group(),
      '--topic',
      topic(),
      '--reset-offsets',
      '--to-earliest',
      '--execute',
    ]);
    expect(output).toContain(topic());
    await system.restartApp(ACCOUNTS_PROJECTOR);
    await waitFor(
      async () => {
        const described = await kafkaTool(CONSUMER_GROUP_COMMAND, [
          '--bootstrap-server',
          kafkaBrokers().join(','),
          '--describe',
          '--group',
          group(),
        ]);
        const lags = described
          .split('\n')
          .filter((line) => line.includes(topic()))
          .map((line) => line.trim().split(/\s+/)[5]);
        return lags.length > 0 && lags.every((lag) => lag === '0');
      },
      { timeoutMs: 60_000, what: 'the reset group to consume everything again' },
    );
    expect(await readModel()).toEqual(before);

    await system.stopApp(ACCOUNTS_PROJECTOR);
    // Every table of the accounts read model, the audit history included: a rebuild recreates them all.
    await system.sql.query(`truncate ${ACCOUNT_READ_MODEL_TABLES.join(', ')}`);
    await system.sql.query('delete from projection_checkpoints where projection = $1', [group()]);
    await kafkaTool(CONSUMER_GROUP_COMMAND, [
      '--bootstrap-server',
      kafkaBrokers().join(','),
      '--group',
      group(),
      '--topic',
      topic(),
      '--reset-offsets',
      '--to-earliest',
      '--execute',
    ]);
    await system.restartApp(ACCOUNTS_PROJECTOR);
    await caughtUp();
    expect(await readModel()).toEqual(before);
  });

  it('parks a poison event in the dead-letter topic, holds its account behind it, and applies everything in order after a redrive', async () => {
    const [poisoned, healthy] = [await ledger.openAccount(), await ledger.openAccount()];
    await caughtUp();
    // A read-model defect that refuses one particular movement: the event is fine, the projection is not.
    await system.sql.query(
      'alter table account_statement_entries add constraint refuse_777 check (amount <> 777)',
    );
    await ledger.command(`/accounts/${poisoned.accountId}/deposits`, { amount: 777 });
    await ledger.command(`/accounts/${poisoned.accountId}/deposits`, { amount: 5 });
    const healthyDeposit = await ledger.command(`/accounts/${healthy.accountId}/deposits`, { amount: 42 });

    expect(await ledger.read(`/accounts/${healthy.accountId}`, healthyDeposit.globalPosition)).toMatchObject({
      balance: 42,
    });
    const deadLetters = await waitFor(
      async () => {
        const listed = JSON.parse(await system.ops(['--json', 'dlq', 'list', group()]));
        return listed.length > 0 ? listed : undefined;
      },
      { timeoutMs: 60_000, what: 'the poison event in the dead-letter topic' },
    );
    expect(deadLetters).toEqual([
      expect.objectContaining({
        streamId: `account-${poisoned.accountId}`,
        streamVersion: 2,
        eventType: 'ledger.accounts.MoneyDeposited',
        source: expect.objectContaining({ topic: topic() }),
        errorMessage: expect.stringContaining('refuse_777'),
      }),
    ]);
    expect((await system.query.get(`/accounts/${poisoned.accountId}`)).body).toMatchObject({
      balance: 0,
      version: 1,
    });

    await system.sql.query('alter table account_statement_entries drop constraint refuse_777');
    await system.ops(['dlq', 'redrive', group(), '--stream', `account-${poisoned.accountId}`]);
    await caughtUp();
    const statement = await ledger.read<{ items: Array<{ amount: number; balanceAfter: number }> }>(
      `/accounts/${poisoned.accountId}/statement`,
    );
    expect(statement.items.map(({ amount, balanceAfter }) => [amount, balanceAfter])).toEqual([
      [777, 777],
      [5, 782],
    ]);
  });
});
