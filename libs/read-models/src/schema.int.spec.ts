import { createTestDatabase, type TestDatabase } from '@ledger/testing';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { queryBalanceAsOf } from './accounts';
import { ensureReadModelSchema, readModelSchemaSql } from './schema';

// A read model created before it kept record times gets the columns on the next start, and its old rows
// still count (as recorded from the start) until a replay rewrites them with their true record times.
describe('read-model schema path', () => {
  let database: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    database = await createTestDatabase('read_model_schema');
    pool = new Pool({ connectionString: database.url, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('adds the record-time columns to tables of an earlier release, keeping their rows', async () => {
    const earlierRelease = readModelSchemaSql
      .split('\n')
      .filter((line) => !/^alter table|account_statement_entries_known/.test(line))
      .join('\n');
    await pool.query(earlierRelease);
    const accountId = randomUUID();
    await pool.query(
      `insert into account_summaries values ($1, 'o', 'EUR', 500, 0, 1000, 'open', null, 2, 2, '2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z')`,
      [accountId],
    );
    await pool.query(
      `insert into account_statement_entries values ($1, 2, $2, 'deposit', 500, 500, 'EUR', null, null, null, '2025-01-02T00:00:00Z', 2)`,
      [accountId, randomUUID()],
    );

    await ensureReadModelSchema(pool);
    await ensureReadModelSchema(pool); // idempotent: setup may run again, and apps may race to create a missing schema

    const columns = await pool.query(
      `select table_name, column_name from information_schema.columns where column_name in ('recorded_at', 'opened_recorded_at') and table_name in ('account_statement_entries', 'account_summaries', 'transfer_history') order by 1`,
    );
    expect(columns.rows).toEqual([
      { table_name: 'account_statement_entries', column_name: 'recorded_at' },
      { table_name: 'account_summaries', column_name: 'opened_recorded_at' },
      { table_name: 'transfer_history', column_name: 'recorded_at' },
    ]);
    const axes = { asOf: '2025-01-03T00:00:00Z', knownAt: '2025-01-03T00:00:00Z' };
    expect(await queryBalanceAsOf(pool, accountId, axes)).toMatchObject({ existed: true, balance: '500' });
  });
});
