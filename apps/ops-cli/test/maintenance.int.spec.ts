import { runMigrations } from '@ledger/event-store';
import { createTestDatabase, TestDatabase } from '@ledger/testing';
import { Pool } from 'pg';
import { run } from '../src/main';
import { captureCliOutput, restoreEnvAfterAll } from './support/cli';

// Purging idempotency keys and pruning snapshots, run as the owner role the CLI uses in production.
describe('ops-cli maintenance', () => {
  let database: TestDatabase;
  let sql: Pool;
  const output = captureCliOutput();
  restoreEnvAfterAll('DATABASE_URL');

  beforeAll(async () => {
    database = await createTestDatabase('ops-maint');
    // As `ops-cli setup` does in production: the owner role creates (and so owns) the tables.
    await runMigrations(database.urlAs('owner'));
    sql = new Pool({ connectionString: database.url, max: 2 });
    process.env.DATABASE_URL = database.urlAs('owner');
  });
  afterAll(async () => {
    await sql.end();
    await database.drop();
  });

  const keys = async () =>
    (await sql.query<{ key: string }>('select key from idempotency_keys order by key')).rows.map(
      (row) => row.key,
    );

  it('purges idempotency keys older than a duration, after a dry run that deletes nothing', async () => {
    await sql.query(`insert into idempotency_keys (key, request_hash, stream_id, result, created_at)
      select 'old-' || lpad(i::text, 4, '0'), 'h', 'account-x', '{}'::jsonb, now() - interval '40 days' from generate_series(1, 2500) i`);
    await sql.query(`insert into idempotency_keys (key, request_hash, stream_id, result, created_at)
      values ('recent-1', 'h', 'account-x', '{}', now() - interval '2 days'), ('recent-2', 'h', 'account-x', '{}', now())`);

    expect(await run(['--json', 'idempotency-keys', 'purge', '--older-than', '30d', '--dry-run'])).toBe(0);
    expect(JSON.parse(output.stdout)).toMatchObject({ matched: 2500, deleted: 0, dryRun: true });
    expect(await keys()).toHaveLength(2502);

    output.stdout = '';
    expect(await run(['idempotency-keys', 'purge', '--older-than', '30d'])).toBe(0);
    expect(output.stdout).toMatch(/^deleted 2500 idempotency key\(s\) recorded before /);
    // stderr is not a terminal here: the periodic progress line, with its rate and ETA, ends the run.
    expect(output.stderr).toMatch(/idempotency keys: 2500\/2500 \(100%\), [\d.]+\/s, ETA 0 s/);
    expect(await keys()).toEqual(['recent-1', 'recent-2']);
  });

  it('prunes snapshots beyond the newest per stream, and those taken before a time', async () => {
    await sql.query(`insert into snapshots (stream_id, snapshot_version, stream_version, state, taken_at) values
      ('account-a', 1, 10, '{}', now() - interval '60 days'),
      ('account-a', 2, 20, '{}', now() - interval '1 day'),
      ('account-b', 1, 5, '{}', now() - interval '60 days'),
      ('account-c', 3, 7, '{}', now())`);
    const snapshots = async () =>
      (await sql.query('select stream_id, snapshot_version from snapshots order by 1, 2')).rows.map(
        (row) => `${row.stream_id}@${row.snapshot_version}`,
      );

    expect(await run(['snapshots', 'prune', '--keep', '1'])).toBe(0);
    expect(output.stdout).toContain('deleted 1 snapshot(s)');
    expect(await snapshots()).toEqual(['account-a@2', 'account-b@1', 'account-c@3']);

    output.stdout = '';
    expect(await run(['--json', 'snapshots', 'prune', '--older-than', '30d'])).toBe(0);
    expect(JSON.parse(output.stdout)).toMatchObject({ deleted: 1 });
    expect(await snapshots()).toEqual(['account-a@2', 'account-c@3']);
  });

  it.each([
    [['idempotency-keys', 'purge'], "required option '--older-than <duration>' not specified"],
    [['idempotency-keys', 'purge', '--older-than', 'a month'], 'not a duration like 30d'],
    [['snapshots', 'prune'], 'give --keep <n>, --older-than <duration> or both'],
    [['snapshots', 'prune', '--keep', '0'], 'not a positive integer: 0'],
  ])('refuses %j with exit code 2, changing nothing', async (argv, message) => {
    const before = await keys();
    expect(await run(argv)).toBe(2);
    expect(output.stderr).toContain(message);
    expect(await keys()).toEqual(before);
  });

  it('fails with exit code 1 when the database refuses the operation', async () => {
    // The command service's role has no DELETE on idempotency keys: the purge must run as the owner.
    process.env.DATABASE_URL = database.urlAs('command_service');
    try {
      expect(await run(['idempotency-keys', 'purge', '--older-than', '1s'])).toBe(1);
      expect(output.stderr).toContain('permission denied for table idempotency_keys');
    } finally {
      process.env.DATABASE_URL = database.urlAs('owner');
    }
  });
});
