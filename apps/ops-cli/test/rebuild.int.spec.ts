import { createConsumerApp } from '@ledger/application';
import { AvroEventCodec } from '@ledger/messaging';
import type { DecodedEvent } from '@ledger/projections';
import {
  accountsReconciliation,
  activeVersion,
  ensureReadModelSchemaIfMissing,
  PROJECTIONS,
  transfersReconciliation,
  type ReadModelName,
} from '@ledger/read-models';
import {
  createTestDatabase,
  kafkaBrokers,
  schemaRegistryUrl,
  step,
  waitFor,
  type TestDatabase,
} from '@ledger/testing';
import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Client, Pool } from 'pg';
import { ledgerEvents, relayMessage } from '../../../libs/read-models/src/spec-support';
import { run } from '../src/main';

// Rebuilds against the real stack: the live projectors run as the apps do (their own roles, following the
// active version), the CLI as the schema owner, events on Kafka in Avro as the relay publishes them.

const prefix = `rebuild-${randomBytes(4).toString('hex')}.`;
const events = [...ledgerEvents({ accounts: 30, accountEvents: 1_200, seed: 18 })];
// Published during a fast rebuild of accounts: other accounts, with transfers between them and refunds.
const arriving = [...ledgerEvents({ accounts: 12, accountEvents: 500, seed: 19 })];
// An account whose opening is missing: the read model rejects its events (the live projector parks it).
const unopened = [...ledgerEvents({ accounts: 4, accountEvents: 60, seed: 20 })];
const withoutOpening = unopened.filter((event) => event !== unopened[0]);
const accountEventsOf = (...lists: DecodedEvent[][]) => lists.flat().filter(isAccount).length;
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const isAccount = (event: DecodedEvent) => event.streamId.startsWith('account-');

describe('ops-cli projections rebuild', () => {
  let database: TestDatabase;
  let sql: Pool;
  let producer: Producer;
  const projectors: INestApplication[] = [];
  const codec = AvroEventCodec.forRegistry(schemaRegistryUrl());
  const saved = { url: process.env.DATABASE_URL, prefix: process.env.KAFKA_TOPIC_PREFIX };
  let stdout = '';
  let stderr = '';

  async function publish(batch: readonly DecodedEvent[]) {
    for (const [topic, which] of [
      [PROJECTIONS.accounts.topics[0]!, batch.filter(isAccount)],
      [PROJECTIONS.transfers.topics[0]!, batch.filter((event) => !isAccount(event))],
    ] as const) {
      if (which.length === 0) continue;
      const messages = await Promise.all(which.map((event) => relayMessage(event, codec)));
      await producer.send({ topic, acks: -1, messages });
    }
  }

  async function startProjector(model: ReadModelName) {
    projectors.push(
      await createConsumerApp({
        service: `projector-${model}`,
        defaultOpsPort: await freePort(),
        readModel: model,
        prepare: ensureReadModelSchemaIfMissing,
        reconciliation: model === 'accounts' ? accountsReconciliation : transfersReconciliation,
        env: {
          ...process.env,
          DATABASE_URL: database.urlAs(model === 'accounts' ? 'projector_accounts' : 'projector_transfers'),
          OPS_HOST: '127.0.0.1',
          LOG_LEVEL: 'error',
          RECONCILE_INTERVAL_MS: '0',
          READ_MODEL_VERSION_POLL_MS: '100',
        },
      }),
    );
  }

  /** Waits until the active group of `model` has read its topic to the end. */
  async function caughtUp(model: ReadModelName, expectedEvents: number) {
    await waitFor(
      async () => {
        const { group } = await activeVersion(sql, model);
        const { rows } = await sql.query<{ processed: string }>(
          `select coalesce(sum("offset" + 1), 0) as processed from projection_positions where projection = $1`,
          [group],
        );
        return Number(rows[0]!.processed) === expectedEvents;
      },
      { what: `${model} caught up`, timeoutMs: 60_000 },
    );
  }

  const count = async (table: string) =>
    Number((await sql.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]!.n);

  /** Rows of `a` not in `b` and of `b` not in `a`, duplicates counted: empty when identical. */
  async function difference(a: string, b: string) {
    const { rows } = await sql.query(
      `(select * from ${a} except all select * from ${b}) union all (select * from ${b} except all select * from ${a})`,
    );
    return rows;
  }

  beforeAll(async () => {
    process.env.KAFKA_TOPIC_PREFIX = prefix;
    // Each step named with its own bound: a set-up that hangs says where (a bare hook timeout does not).
    database = await step('create the test database', createTestDatabase('rebuild'));
    process.env.DATABASE_URL = database.urlAs('owner');
    sql = new Pool({ connectionString: database.url, max: 3 });
    // setup prints each of its steps as it finishes: kept, so a hang inside it names the step after the last.
    let setupOutput = '';
    const quiet = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk) => ((setupOutput += String(chunk)), true));
    try {
      expect(await step('ops-cli setup', run(['setup', '--partitions', '3']))).toBe(0);
    } catch (error) {
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}; setup printed:\n${setupOutput}`,
      );
    } finally {
      quiet.mockRestore();
    }
    const kafka = new Kafka({
      clientId: 'rebuild-test',
      brokers: kafkaBrokers(),
      logLevel: logLevel.NOTHING,
    });
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await step('connect the producer', producer.connect());
    await step('publish the first 900 events', publish(events.slice(0, 900)));
    await step('start the accounts projector', startProjector('accounts'));
    await step('start the transfers projector', startProjector('transfers'));
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(projectors.map((app) => app.close()));
    await producer?.disconnect();
    await sql?.end();
    process.env.DATABASE_URL = saved.url;
    await database?.drop();
    if (saved.prefix === undefined) delete process.env.KAFKA_TOPIC_PREFIX;
    else process.env.KAFKA_TOPIC_PREFIX = saved.prefix;
  });

  beforeEach(() => {
    stdout = '';
    stderr = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  });
  afterEach(() => jest.restoreAllMocks());

  it('refuses an unknown projection and a second rebuild of the same model with exit code 2, changing nothing', async () => {
    expect(await run(['projections', 'rebuild', 'balances'])).toBe(2);
    expect(stderr).toContain('unknown projection "balances"; known: accounts, transfers');

    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query(`select pg_advisory_lock(hashtext('ledger.read-model.rebuild.accounts'))`);
      expect(await run(['projections', 'rebuild', 'accounts'])).toBe(2);
      expect(stderr).toContain('a rebuild of accounts is already running');
    } finally {
      await holder.end();
    }
    expect(await count('read_model_rebuilds')).toBe(0);
  });

  it('--dry-run shows the plan and changes nothing', async () => {
    expect(await run(['projections', 'rebuild', 'accounts', '--dry-run'])).toBe(0);
    expect(stdout).toContain('plan for accounts: version 1 -> 2 (fast)');
    expect(stdout).toContain(
      `would consume ${prefix}ledger.account.events from the beginning as consumer group ${prefix}ledger.projector.accounts.v2`,
    );
    const { rows } = await sql.query(`select relname from pg_class where relname like '%\\_\\_v%'`);
    expect(rows).toEqual([]);
    expect(await count('read_model_rebuilds')).toBe(0);
    expect(await count('read_model_active')).toBe(0);
  });

  it('a fast rebuild holds row for row what the live projector built incrementally from the same events', async () => {
    await caughtUp('accounts', events.slice(0, 900).filter(isAccount).length);

    const code = await run(['projections', 'rebuild', 'accounts', '--keep', '--lag-bound', '0']);

    expect({ code, failed: stderr.includes('failed') }).toEqual({ code: 0, failed: false });
    // Loaded in bulk, not through the projector's transactions.
    expect(stdout).toMatch(/loaded \d+ records in bulk/);
    expect(stdout).not.toContain('bulk load stopped');
    expect(stdout).toContain('swapped: accounts is version 2');
    // Without a terminal: periodic lines with what is applied, the lag, the rate and the time left.
    expect(stderr).toMatch(/^rebuild accounts: \d+\/\d+ \(\d+%\), lag \d+, [\d.]+\/s, ETA /m);
    expect(await activeVersion(sql, 'accounts')).toEqual({
      version: 2,
      group: `${prefix}ledger.projector.accounts.v2`,
    });
    for (const table of ['account_summaries', 'account_statement_entries', 'account_history']) {
      expect(await count(table)).toBeGreaterThan(0);
      expect({ table, rows: await difference(table, `${table}__v1`) }).toEqual({ table, rows: [] });
    }
    // The swapped-in tables are ordinary logged tables with every index of the live ones, under their names.
    const { rows } = await sql.query<{ relname: string; relpersistence: string }>(
      `select relname, relpersistence from pg_class where relname like 'account%' and relkind in ('r', 'i') order by relname`,
    );
    const canonical = rows.filter((row) => !row.relname.includes('__v'));
    expect(canonical.every((row) => row.relpersistence === 'p')).toBe(true);
    expect(canonical.map((row) => row.relname)).toEqual(
      rows
        .filter((row) => row.relname.includes('__v1'))
        .map((row) => row.relname.replace('__v1', ''))
        .sort(),
    );
  }, 120_000);

  it('swaps while events keep arriving: the live projector continues on the new version, nothing lost or applied twice', async () => {
    const later = events.slice(900);
    const transfersTotal = events.filter((event) => !isAccount(event)).length;
    let published = 0;
    const feeding = (async () => {
      for (let at = 0; at < later.length; at += 4) {
        await publish(later.slice(at, at + 4));
        published = Math.min(later.length, at + 4);
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    })();

    const code = await run(['--json', 'projections', 'rebuild', 'transfers', '--grace-seconds', '0']);
    const publishedDuringRebuild = published;
    await feeding;

    expect({ code, failed: stderr.includes('failed') }).toEqual({ code: 0, failed: false });
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(lines.filter((line) => line.type === 'progress').length).toBeGreaterThan(0);
    expect(lines[lines.length - 1]).toMatchObject({ type: 'result', swapped: true, previousDropped: true });
    // Events went on arriving while the shadow was built and swapped in.
    expect(publishedDuringRebuild).toBeGreaterThan(0);
    await caughtUp('transfers', transfersTotal);
    const { group } = await activeVersion(sql, 'transfers');
    expect(group).toBe(`${prefix}ledger.projector.transfers.v2`);
    // Every transfer event is in the history exactly once, and each row is at its stream's last version.
    expect(await count('transfer_history')).toBe(transfersTotal);
    const { rows } = await sql.query<{ behind: string }>(
      `select count(*) as behind from transfers t
        where t.version <> (select max(stream_version) from transfer_history h where h.transfer_id = t.transfer_id)`,
    );
    expect(Number(rows[0]!.behind)).toBe(0);
    const streams = new Set(events.filter((event) => !isAccount(event)).map((event) => event.streamId));
    expect(await count('transfers')).toBe(streams.size);
    // The previous version was dropped after its (zero) grace period.
    expect((await sql.query(`select 1 from pg_class where relname like 'transfer%\\_\\_v1'`)).rows).toEqual(
      [],
    );
  }, 120_000);

  it('fails a fast build whose unlogged tables Postgres emptied (crash recovery), leaving the live version in place', async () => {
    // What crash recovery does to unlogged tables, done to the sentinel as soon as the build creates it.
    const sentinel = 'read_model_sentinel_accounts__v3';
    const emptied = waitFor(
      async () => {
        const { rows } = await sql.query<{ found: string | null }>('select to_regclass($1) as found', [
          sentinel,
        ]);
        if (!rows[0]!.found) return false;
        await sql.query(`truncate ${sentinel}`);
        return true;
      },
      { what: 'the sentinel of the fast build', intervalMs: 10, timeoutMs: 60_000 },
    );

    const code = await run(['projections', 'rebuild', 'accounts', '--lag-bound', '0']);
    await emptied;

    expect(code).toBe(1);
    expect(stderr).toContain('Postgres restarted during the fast build of accounts version 3');
    expect(await activeVersion(sql, 'accounts')).toMatchObject({ version: 2 });
    const { rows } = await sql.query(
      `select state from read_model_rebuilds where read_model = 'accounts' and version = 3`,
    );
    expect(rows).toEqual([{ state: 'failed' }]);
    expect((await sql.query(`select 1 from pg_class where relname like '%\\_\\_v3'`)).rows).toEqual([]);
    expect(await count('account_summaries')).toBeGreaterThan(0);
  }, 120_000);
  /** Publishes `batch` four events at a time until done; `published` says how many went out so far. */
  function feed(batch: readonly DecodedEvent[]) {
    const state = { published: 0, done: Promise.resolve() };
    state.done = (async () => {
      for (let at = 0; at < batch.length; at += 4) {
        await publish(batch.slice(at, at + 4));
        state.published = Math.min(batch.length, at + 4);
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    })();
    return state;
  }

  async function expectSameTables(tables: readonly string[], retired: string) {
    for (const table of tables) {
      expect(await count(table)).toBeGreaterThan(0);
      expect({ table, rows: await difference(table, `${table}${retired}`) }).toEqual({ table, rows: [] });
    }
  }

  const accountTables = ['account_summaries', 'account_statement_entries', 'account_history'];

  it('a fast rebuild loaded in bulk while events arrive, then kept live, equals an incremental rebuild of the same events', async () => {
    const accountEvents = accountEventsOf(events, arriving);
    const feeding = feed(arriving);
    const code = await run(['projections', 'rebuild', 'accounts', '--keep', '--lag-bound', '0']);
    const publishedDuringRebuild = feeding.published;
    await feeding.done;

    expect({ code, failed: stderr.includes('failed') }).toEqual({ code: 0, failed: false });
    expect(stdout).toMatch(/loaded \d+ records in bulk/);
    expect(stdout).not.toContain('bulk load stopped');
    // Some events arrived during the rebuild, some only after its swap: the projector went on from the bulk load.
    expect(publishedDuringRebuild).toBeGreaterThan(0);
    const bulk = await activeVersion(sql, 'accounts');
    await caughtUp('accounts', accountEvents);

    // The same events, built as the live projector builds them; the bulk-loaded version is kept beside it.
    stdout = '';
    const incremental = await run([
      'projections',
      'rebuild',
      'accounts',
      '--mode',
      'incremental',
      '--keep',
      '--lag-bound',
      '0',
    ]);
    expect(incremental).toBe(0);
    expect(stdout).not.toContain('in bulk');
    await expectSameTables(accountTables, `__v${bulk.version}`);
    expect(await count('account_history')).toBe(accountEvents);
    // Refunds name their counterparty from the debit they reverse, in both.
    const { rows } = await sql.query<{ n: string }>(
      `select count(*) as n from account_statement_entries where kind = 'transfer_refund' and counterparty_account_id is not null`,
    );
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  }, 120_000);

  it('a fast rebuild whose bulk load meets an event the read model rejects builds through the projector instead, parking what the live projector parks', async () => {
    const accountEvents = accountEventsOf(events, arriving, withoutOpening);
    const poisoned = unopened[0]!.streamId;
    await publish(withoutOpening);
    const live = await activeVersion(sql, 'accounts');
    await caughtUp('accounts', accountEvents);
    await waitFor(async () => (await parkedStreams(live.group)).includes(poisoned), {
      what: 'the live projector parked the account opened nowhere',
      timeoutMs: 30_000,
    });

    const code = await run(['projections', 'rebuild', 'accounts', '--keep', '--lag-bound', '0']);

    expect({ code, failed: stderr.includes('failed') }).toEqual({ code: 0, failed: false });
    expect(stdout).toMatch(
      /bulk load stopped \(.*never opened.*\): the projector builds version \d+ from the start/,
    );
    const rebuilt = await activeVersion(sql, 'accounts');
    expect(rebuilt.version).toBeGreaterThan(live.version);
    await expectSameTables(accountTables, `__v${live.version}`);
    expect(await parkedStreams(rebuilt.group)).toEqual(await parkedStreams(live.group));
  }, 120_000);

  async function parkedStreams(group: string): Promise<string[]> {
    const { rows } = await sql.query<{ stream_id: string }>(
      'select stream_id from projection_parked_keys where projection = $1 order by stream_id',
      [group],
    );
    return rows.map((row) => row.stream_id);
  }
});
