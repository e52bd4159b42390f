import { ensureProjectionSchema } from '@ledger/projections';
import { ensureReadModelSchema, queryBalanceAsOf } from '@ledger/read-models';
import { createTestDatabase, type TestDatabase } from '@ledger/testing';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';

// Databases created before the runtime and the read models recorded their migrations (ADR 0018) upgrade
// in place: `ops-cli setup` (these two calls, as the owner role) brings them to exactly the schema a fresh
// database gets, keeps their rows, and records the history, so later migrations apply to both alike.
const beforeMigrations = readFileSync(join(__dirname, 'before-migrations.sql'), 'utf8');
// The release before record times (ADR 0011) had neither the record-time columns nor their index.
const beforeRecordTimes = beforeMigrations
  .split('\n')
  .filter((line) => !/^alter table|account_statement_entries_known/.test(line))
  .join('\n');

const setup = async (pool: Pool) => [
  ...(await ensureProjectionSchema(pool)),
  ...(await ensureReadModelSchema(pool)),
];

/** Tables, columns, indexes, constraints, grants and the recorded history: what "the same schema" means. */
async function describeSchema(pool: Pool) {
  const query = async (sql: string) => (await pool.query(sql)).rows;
  return {
    columns: await query(`select table_name, column_name, data_type, is_nullable, column_default
      from information_schema.columns where table_schema = 'public' order by 1, 2`),
    indexes: await query(
      `select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by 1, 2`,
    ),
    constraints:
      await query(`select conrelid::regclass::text as table_name, conname, pg_get_constraintdef(oid) as def
      from pg_constraint where connamespace = 'public'::regnamespace order by 1, 2`),
    grants: await query(`select table_name, grantee, privilege_type from information_schema.role_table_grants
      where table_schema = 'public' and grantee <> current_user order by 1, 2, 3`),
    sequences: await query(
      `select sequence_name from information_schema.sequences where sequence_schema = 'public' order by 1`,
    ),
    history: await query(`select component, version, name, checksum from schema_migrations order by 1, 2`),
  };
}

describe('schema migrations of the projection runtime and the read models', () => {
  const databases: TestDatabase[] = [];
  const pools: Pool[] = [];
  async function database(prefix: string): Promise<Pool> {
    const created = await createTestDatabase(prefix);
    databases.push(created);
    const pool = new Pool({ connectionString: created.urlAs('owner'), max: 2 });
    pools.push(pool);
    return pool;
  }
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await Promise.all(databases.map((created) => created.drop()));
  });

  let fresh: Awaited<ReturnType<typeof describeSchema>>;
  beforeAll(async () => {
    const pool = await database('migrate_fresh');
    expect(await setup(pool)).toEqual([
      '1-runtime-tables',
      '2-progress-notifications',
      'read-model.accounts 1-account-tables',
      'read-model.accounts 2-record-time',
      'read-model.accounts 3-statement-entries-by-transfer',
      'read-model.transfers 1-transfer-tables',
      'read-model.transfers 2-record-time',
      'read-model.versions 1-active-version-and-rebuilds',
    ]);
    expect(await setup(pool)).toEqual([]);
    fresh = await describeSchema(pool);
  });

  it('gives a fresh database every table, recorded', () => {
    expect(fresh.columns.map((column) => column.table_name)).toEqual(
      expect.arrayContaining([
        'projection_checkpoints',
        'projection_dead_letters',
        'account_summaries',
        'account_history',
        'transfers',
        'transfer_history',
        'read_model_active',
        'read_model_rebuilds',
      ]),
    );
    expect(fresh.history).toHaveLength(8);
    expect(fresh.grants).toContainEqual({
      table_name: 'account_summaries',
      grantee: 'ledger_can_read_views',
      privilege_type: 'SELECT',
    });
  });

  it('upgrades a database of the current release to the same schema, keeping its rows', async () => {
    const pool = await database('migrate_current');
    await pool.query(beforeMigrations);
    const accountId = randomUUID();
    await pool.query(
      `insert into account_summaries values ($1, 'o', 'EUR', 500, 0, 1000, 'open', null, 2, 2, '2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z', '2025-01-01T00:00:01Z')`,
      [accountId],
    );

    await setup(pool);
    await setup(pool); // setup runs again on every upgrade

    expect(await describeSchema(pool)).toEqual(fresh);
    const { rows } = await pool.query('select account_id, balance from account_summaries');
    expect(rows).toEqual([{ account_id: accountId, balance: '500' }]);
  });

  it('upgrades a database of the release before record times: the columns arrive, old rows still count', async () => {
    const pool = await database('migrate_earlier');
    await pool.query(beforeRecordTimes);
    const accountId = randomUUID();
    await pool.query(
      `insert into account_summaries values ($1, 'o', 'EUR', 500, 0, 1000, 'open', null, 2, 2, '2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z')`,
      [accountId],
    );
    await pool.query(
      `insert into account_statement_entries values ($1, 2, $2, 'deposit', 500, 500, 'EUR', null, null, null, '2025-01-02T00:00:00Z', 2)`,
      [accountId, randomUUID()],
    );

    await setup(pool);

    expect(await describeSchema(pool)).toEqual(fresh);
    const axes = { asOf: '2025-01-03T00:00:00Z', knownAt: '2025-01-03T00:00:00Z' };
    expect(await queryBalanceAsOf(pool, accountId, axes)).toMatchObject({ existed: true, balance: '500' });
  });
});
