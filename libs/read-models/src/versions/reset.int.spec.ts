import { randomUUID } from 'node:crypto';
import { accountsProjection } from '../accounts/accounts-projection';
import { PROJECTIONS } from '../schema';
import { account, EventLog, ReadModelDatabase, transfer } from '../spec-support';
import { transfersProjection } from '../transfers/transfers-projection';
import { ActiveGroupChangedError, resetReadModel } from './reset';

// Given both read models with rows and checkpoints, when one is reset, then only its tables and the
// checkpoints of the group that keeps it are empty.

const db = new ReadModelDatabase();
beforeAll(() => db.setUp());
afterAll(() => db.tearDown());
beforeEach(() =>
  db.truncate(
    'account_summaries',
    'account_statement_entries',
    'account_history',
    'transfers',
    'transfer_history',
    'projection_checkpoints',
    'projection_positions',
    'read_model_active',
  ),
);

const t = (minute: number) => new Date(Date.UTC(2025, 2, 1, 9, minute)).toISOString();

async function given() {
  const log = new EventLog();
  const a = randomUUID();
  const b = randomUUID();
  await db.apply(
    accountsProjection(),
    log.record(account(a).opened(t(0)), account(a).deposited(500, t(1)), account(b).opened(t(2))),
  );
  await db.apply(transfersProjection(), log.record(transfer(randomUUID()).requested(a, b, 100, t(3))));
}

async function checkpoint(group: string) {
  await db.pool.query(
    `insert into projection_checkpoints (projection, stream_id, version) values ($1, 'account-x', 3)`,
    [group],
  );
  await db.pool.query(
    `insert into projection_positions (projection, topic, partition, "offset") values ($1, 'topic', 0, 7)`,
    [group],
  );
}

const count = async (table: string) =>
  Number((await db.rows<{ n: string }>(`select count(*) as n from ${table}`))[0]!.n);
const checkpointsOf = async (group: string) =>
  (
    await db.pool.query(
      `select projection from projection_checkpoints where projection = $1
       union all select projection from projection_positions where projection = $1`,
      [group],
    )
  ).rowCount;

describe('resetReadModel', () => {
  it('empties the accounts tables and their checkpoints, and leaves the transfers read model alone', async () => {
    await given();
    await checkpoint(PROJECTIONS.accounts.name);
    await checkpoint(PROJECTIONS.transfers.name);

    const reset = await resetReadModel(db.pool, 'accounts');

    expect(reset).toEqual({
      group: PROJECTIONS.accounts.name,
      tables: ['account_summaries', 'account_statement_entries', 'account_history'],
    });
    for (const table of reset.tables) expect({ table, rows: await count(table) }).toEqual({ table, rows: 0 });
    expect(await checkpointsOf(PROJECTIONS.accounts.name)).toBe(0);
    expect(await count('transfers')).toBe(1);
    expect(await count('transfer_history')).toBe(1);
    expect(await checkpointsOf(PROJECTIONS.transfers.name)).toBe(2);
  });

  it('after a rebuild swapped a version in, clears the checkpoints of the group that keeps it now', async () => {
    await given();
    const swapped = `${PROJECTIONS.transfers.name}.v2`;
    await db.pool.query(
      `insert into read_model_active (read_model, version, group_name, base_group) values ('transfers', 2, $1, $2)`,
      [swapped, PROJECTIONS.transfers.name],
    );
    await checkpoint(swapped);
    await checkpoint(PROJECTIONS.accounts.name);

    expect(await resetReadModel(db.pool, 'transfers')).toMatchObject({ group: swapped });

    expect(await count('transfers')).toBe(0);
    expect(await count('transfer_history')).toBe(0);
    expect(await checkpointsOf(swapped)).toBe(0);
    expect(await count('account_summaries')).toBe(2);
    expect(await checkpointsOf(PROJECTIONS.accounts.name)).toBe(2);
  });

  it('changes nothing when the active group is no longer the one the caller checked', async () => {
    await given();
    await checkpoint(PROJECTIONS.accounts.name);
    await db.pool.query(
      `insert into read_model_active (read_model, version, group_name, base_group) values ('accounts', 2, $1, $2)`,
      [`${PROJECTIONS.accounts.name}.v2`, PROJECTIONS.accounts.name],
    );

    await expect(
      resetReadModel(db.pool, 'accounts', { expectedGroup: PROJECTIONS.accounts.name }),
    ).rejects.toThrow(ActiveGroupChangedError);

    expect(await count('account_summaries')).toBe(2);
    expect(await checkpointsOf(PROJECTIONS.accounts.name)).toBe(2);
  });
});
