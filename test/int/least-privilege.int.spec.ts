import { randomUUID } from 'node:crypto';
import { PostgresEventStore, runMigrations, type NewEvent } from '@ledger/event-store';
import { ensureProjectionSchema } from '@ledger/projections';
import { ensureReadModelSchema } from '@ledger/read-models';
import { createTestDatabase, type DatabaseLogin, type TestDatabase } from '@ledger/testing';
import { Client, DatabaseError, Pool } from 'pg';

// Each app's database role can do what the app needs and nothing more; the schema is set up by the owner
// role, as `ops-cli setup` does in every deployment.

const opened = (accountId: string): NewEvent => ({
  type: 'ledger.accounts.AccountOpened',
  schemaVersion: 2,
  data: {
    accountId,
    ownerId: 'o',
    currency: 'EUR',
    overdraftLimit: 0,
    dailyWithdrawalLimit: 1,
    openedAt: '2026-01-01T00:00:00.000Z',
  },
});

describe('database roles', () => {
  let database: TestDatabase;
  const clients: Client[] = [];
  let streamId: string;

  async function as(login: DatabaseLogin | 'bootstrap'): Promise<Client> {
    const client = new Client({
      connectionString: login === 'bootstrap' ? database.url : database.urlAs(login),
    });
    await client.connect();
    clients.push(client);
    return client;
  }

  /** The SQLSTATE a statement fails with; the test fails when it succeeds. */
  async function refusal(client: Client, sql: string, params: unknown[] = []): Promise<string> {
    try {
      await client.query(sql, params);
    } catch (error) {
      if (error instanceof DatabaseError) return `${error.code} ${error.message}`;
      throw error;
    }
    throw new Error(`expected a refusal of: ${sql}`);
  }

  beforeAll(async () => {
    database = await createTestDatabase('least_privilege');
    expect(await runMigrations(database.urlAs('owner'))).toEqual([
      'CreateEventStore1764460800000',
      'LeastPrivilege1764547200000',
      'ReconciliationDigests1764720000000',
      'AppendFunction1764979200000',
    ]);
    const ownerPool = new Pool({ connectionString: database.urlAs('owner'), max: 1 });
    try {
      await ensureProjectionSchema(ownerPool);
      await ensureReadModelSchema(ownerPool);
    } finally {
      await ownerPool.end();
    }
    // An event appended the way the command service appends: through the store, as its role.
    const store = new PostgresEventStore({
      connectionString: database.urlAs('command_service'),
      poolSize: 1,
    });
    try {
      streamId = `account-${randomUUID()}`;
      await store.appendToStream(streamId, 'account', 'no_stream', [opened(randomUUID())], {
        idempotency: { key: randomUUID(), requestHash: 'h' },
      });
      await store.saveSnapshot({ streamId, snapshotVersion: 1, streamVersion: 1, state: {} });
    } finally {
      await store.close();
    }
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((client) => client.end()));
    await database?.drop();
  });

  it('lets the command service append and read events, never update, delete or truncate them', async () => {
    const command = await as('command_service');
    expect((await command.query('select count(*)::int as n from events')).rows[0].n).toBe(1);
    expect(await refusal(command, 'update events set data = $1', ['{}'])).toBe(
      '42501 permission denied for table events',
    );
    expect(await refusal(command, 'delete from events')).toBe('42501 permission denied for table events');
    expect(await refusal(command, 'truncate events')).toBe('42501 permission denied for table events');
    // The append function runs with the caller's rights, so it cannot lend the command service any others.
    const { rows } = await command.query<{ definer: boolean }>(
      "select prosecdef as definer from pg_proc where proname = 'append_to_stream'",
    );
    expect(rows).toEqual([{ definer: false }]);
    expect(await refusal(command, 'select * from account_summaries')).toBe(
      '42501 permission denied for table account_summaries',
    );
    expect(await refusal(command, 'create table mine (id int)')).toBe(
      '42501 permission denied for schema public',
    );
  });

  it('keeps events immutable even for their owner, except in a declared rewrite', async () => {
    const owner = await as('owner');
    expect(await refusal(owner, 'update events set metadata = $1', ['{"x":1}'])).toMatch(
      /^42501 events are immutable: UPDATE refused/,
    );
    expect(await refusal(owner, 'delete from events')).toMatch(/^42501 events are immutable: DELETE refused/);
    const bootstrap = await as('bootstrap');
    expect(await refusal(bootstrap, 'delete from events')).toMatch(/^42501 events are immutable/);

    await owner.query('begin');
    await owner.query("set local ledger.event_rewrite = 'on'");
    expect(
      (
        await owner.query('update events set metadata = $1 where stream_id = $2', [
          '{"rewritten":true}',
          streamId,
        ])
      ).rowCount,
    ).toBe(1);
    await owner.query('commit');
    // The declaration ends with its transaction.
    expect(await refusal(owner, 'update events set metadata = $1', ['{}'])).toMatch(
      /^42501 events are immutable/,
    );
  });

  it('lets the relay read events and keep its checkpoint, and nothing else', async () => {
    const relay = await as('event_relay');
    await relay.query(
      "insert into checkpoints (name, transaction_id, global_position) values ('r', '1'::xid8, 1)",
    );
    await relay.query("update checkpoints set global_position = 2 where name = 'r'");
    expect(
      await refusal(
        relay,
        'insert into events (stream_id, stream_type, stream_version, event_id, event_type, schema_version, data) values ($1, $2, 1, $3, $4, 1, $5)',
        [`account-${randomUUID()}`, 'account', randomUUID(), 't', '{}'],
      ),
    ).toBe('42501 permission denied for table events');
    expect(await refusal(relay, 'select * from idempotency_keys')).toBe(
      '42501 permission denied for table idempotency_keys',
    );
    expect(
      await refusal(relay, "select * from append_to_stream('account-x', 'account', 0, '[]', null, null)"),
    ).toBe('42501 permission denied for function append_to_stream');
  });

  it('lets a projector write its own read model and the runtime, never events or the other read model', async () => {
    const accounts = await as('projector_accounts');
    await accounts.query(
      `insert into account_summaries (account_id, owner_id, currency, balance, overdraft_limit, daily_withdrawal_limit, status, version, last_global_position, opened_at, updated_at)
       values ($1, 'o', 'EUR', 0, 0, 1, 'open', 1, 1, now(), now())`,
      [randomUUID()],
    );
    await accounts.query(
      "insert into projection_checkpoints (projection, stream_id, version) values ('p', 's', 1)",
    );
    await accounts.query("select nextval('projection_park_tokens')");
    expect(await refusal(accounts, 'select * from events')).toBe('42501 permission denied for table events');
    expect(await refusal(accounts, 'select * from transfers')).toBe(
      '42501 permission denied for table transfers',
    );
    const transfers = await as('projector_transfers');
    expect(await refusal(transfers, 'delete from account_summaries')).toBe(
      '42501 permission denied for table account_summaries',
    );
  });

  it('lets the projectors reconcile through digests of the store, which other apps may not call', async () => {
    for (const login of ['projector_accounts', 'projector_transfers'] as const) {
      const projector = await as(login);
      const { rows } = await projector.query(
        `select * from reconciliation_streams(0, 1000000, 'account', 10)`,
      );
      const digests = await projector.query('select * from reconciliation_stream_digests($1::text[])', [
        rows.map((row) => row.stream_id),
      ]);
      expect(digests.rows.length).toBe(rows.length);
      expect(Object.keys(digests.rows[0] ?? { stream_id: 1 })).not.toContain('data');
      await projector.query(
        `select reconciliation_head_position(), * from reconciliation_stream_page('', 'account', 10)`,
      );
    }
    expect(await refusal(await as('query_api'), 'select reconciliation_head_position()')).toBe(
      '42501 permission denied for function reconciliation_head_position',
    );
    expect(
      await refusal(await as('command_service'), "select * from reconciliation_stream_digests('{}')"),
    ).toBe('42501 permission denied for function reconciliation_stream_digests');
  });

  it('lets the query API read the read models, progress and event positions, and write nothing', async () => {
    const query = await as('query_api');
    expect((await query.query('select count(*)::int as n from account_summaries')).rows[0].n).toBe(1);
    await query.query('select * from projection_positions, checkpoints limit 1');
    // What GET /projections reads: the parked streams and the events waiting in them.
    await query.query(
      'select (select count(*) from projection_parked_keys), (select count(*) from projection_parked_events)',
    );
    // What the read-your-writes check reads, and its readiness probe.
    await query.query('select e.global_position, e.transaction_id from events e');
    await query.query('select 1 from events, checkpoints limit 0');
    // What GET /projections reads: the parked streams and the events waiting in them.
    await query.query(
      'select count(*) from projection_parked_keys, projection_parked_events, projection_dead_letters',
    );
    expect(await refusal(query, 'select data from events')).toBe('42501 permission denied for table events');
    expect(
      await refusal(query, "select * from append_to_stream('account-x', 'account', 0, '[]', null, null)"),
    ).toBe('42501 permission denied for function append_to_stream');
    expect(await refusal(query, 'delete from account_summaries')).toBe(
      '42501 permission denied for table account_summaries',
    );
    expect(await refusal(query, 'update projection_checkpoints set version = 9')).toBe(
      '42501 permission denied for table projection_checkpoints',
    );
    expect(
      await refusal(
        query,
        "insert into checkpoints (name, transaction_id, global_position) values ('q', '1'::xid8, 1)",
      ),
    ).toBe('42501 permission denied for table checkpoints');
  });

  it('lets the ops API move dead letters along and nothing else', async () => {
    const ops = await as('ops_api');
    await ops.query(
      'select * from projection_dead_letters, projection_parked_events, projection_parked_keys limit 0',
    );
    await ops.query("update projection_dead_letters set status = 'redriven' where false");
    await ops.query('update projection_parked_keys set published = true where false');
    await ops.query('delete from projection_parked_events where false');
    await ops.query("select nextval('projection_park_tokens')");
    expect(await refusal(ops, 'select * from events')).toBe('42501 permission denied for table events');
    expect(await refusal(ops, 'select * from account_summaries')).toBe(
      '42501 permission denied for table account_summaries',
    );
    expect(await refusal(ops, 'update projection_checkpoints set version = 9')).toBe(
      '42501 permission denied for table projection_checkpoints',
    );
    expect(await refusal(ops, 'delete from projection_dead_letters')).toBe(
      '42501 permission denied for table projection_dead_letters',
    );
  });

  it('gives no app role more than login: no superuser, no role or database creation', async () => {
    const bootstrap = await as('bootstrap');
    const { rows } = await bootstrap.query<{ rolname: string }>(
      `select rolname from pg_roles where rolname = any($1) and (rolsuper or rolcreaterole or rolcreatedb or rolbypassrls)`,
      [
        [
          'owner',
          'command_service',
          'event_relay',
          'transfer_saga',
          'projector_accounts',
          'projector_transfers',
          'query_api',
          'ops_api',
        ].map((login) => new URL(database.urlAs(login as DatabaseLogin)).username),
      ],
    );
    expect(rows).toEqual([]);
  });
});
