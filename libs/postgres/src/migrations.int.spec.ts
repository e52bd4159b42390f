import { createTestDatabase, type TestDatabase } from '@ledger/testing';
import { Pool } from 'pg';
import { migrate, migrateIfPending, pendingMigrations, type MigrationSet } from './migrations';

describe('numbered, recorded migrations', () => {
  let database: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    database = await createTestDatabase('migrations');
    pool = new Pool({ connectionString: database.urlAs('owner'), max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const notes: MigrationSet = {
    component: 'notes',
    migrations: [
      { version: 1, name: 'notes', sql: 'create table notes (id int primary key)' },
      { version: 2, name: 'text', sql: 'alter table notes add column body text' },
    ],
  };
  const columns = async (schema = 'public') =>
    (
      await pool.query<{ column_name: string }>(
        `select column_name from information_schema.columns where table_schema = $1 and table_name = 'notes' order by 1`,
        [schema],
      )
    ).rows.map((row) => row.column_name);

  it('applies a release, then only what the next release adds, and records each step', async () => {
    expect(await migrate(pool, { ...notes, migrations: notes.migrations.slice(0, 1) })).toEqual(['1-notes']);
    expect(await columns()).toEqual(['id']);
    expect((await pendingMigrations(pool, notes)).map((m) => m.version)).toEqual([2]);

    expect(await migrate(pool, notes)).toEqual(['2-text']);
    expect(await migrate(pool, notes)).toEqual([]);
    expect(await migrateIfPending(pool, notes)).toEqual([]);
    expect(await columns()).toEqual(['body', 'id']);
    const { rows } = await pool.query(
      `select version, name from schema_migrations where component = 'notes' order by version`,
    );
    expect(rows).toEqual([
      { version: 1, name: 'notes' },
      { version: 2, name: 'text' },
    ]);
  });

  it('refuses a released migration that was edited, and a history from a newer release', async () => {
    const edited = {
      ...notes,
      migrations: [
        notes.migrations[0]!,
        { ...notes.migrations[1]!, sql: 'alter table notes add column title text' },
      ],
    };
    await expect(migrate(pool, edited)).rejects.toThrow(
      /notes migration 2 \(text\) differs from the one applied/,
    );
    await expect(migrate(pool, { ...notes, migrations: notes.migrations.slice(0, 1) })).rejects.toThrow(
      /migration\(s\) 2 this code does not know/,
    );
  });

  it('refuses migrations numbered out of order', async () => {
    await expect(
      migrate(pool, { component: 'gaps', migrations: [{ version: 2, name: 'x', sql: 'select 1' }] }),
    ).rejects.toThrow(/numbered 1..N/);
  });

  it('rolls back a failed migration with its record, so the next run retries it', async () => {
    const broken: MigrationSet = {
      component: 'broken',
      migrations: [
        { version: 1, name: 'table', sql: 'create table broken (id int)' },
        { version: 2, name: 'typo', sql: 'alter table brokn add column x int' },
      ],
    };
    await expect(migrate(pool, broken)).rejects.toThrow(/brokn/);
    expect(await pool.query(`select to_regclass('broken') as t`)).toMatchObject({ rows: [{ t: null }] });
    expect(await pendingMigrations(pool, broken)).toHaveLength(2);
  });

  it('lets several processes migrate at once: each step runs once', async () => {
    const counted: MigrationSet = {
      component: 'counted',
      migrations: [
        {
          version: 1,
          name: 'counter',
          sql: 'create table counter (n int); insert into counter values (1)',
        },
      ],
    };
    const runs = await Promise.all(Array.from({ length: 4 }, () => migrate(pool, counted)));
    expect(runs.flat()).toEqual(['1-counter']);
    expect((await pool.query('select count(*)::int as n from counter')).rows).toEqual([{ n: 1 }]);
  });

  it('builds the same tables in another Postgres schema, recorded apart', async () => {
    expect(await migrate(pool, notes, { schema: 'shadow_v2' })).toEqual(['1-notes', '2-text']);
    expect(await columns('shadow_v2')).toEqual(['body', 'id']);
    expect(await pendingMigrations(pool, notes, { schema: 'shadow_v2' })).toEqual([]);
    const { rows } = await pool.query(
      `select count(*)::int as n from schema_migrations where component = 'shadow_v2.notes'`,
    );
    expect(rows).toEqual([{ n: 2 }]);
    await expect(migrate(pool, notes, { schema: 'Bad; drop' })).rejects.toThrow(/lower-case SQL identifier/);
  });

  it('lets a role without DDL rights see that nothing is pending', async () => {
    const app = new Pool({ connectionString: database.urlAs('query_api'), max: 1 });
    try {
      expect(await migrateIfPending(app, notes)).toEqual([]);
      await expect(
        migrateIfPending(app, {
          component: 'more',
          migrations: [{ version: 1, name: 't', sql: 'create table more (id int)' }],
        }),
      ).rejects.toThrow(/permission denied/);
    } finally {
      await app.end();
    }
  });
});
