import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createConsumerApp, handleCommand, ledgerUpcasters } from '@ledger/application';
import { accountDecider, accountStreamId, transferDecider, transferStreamId } from '@ledger/domain';
import { PostgresEventStore } from '@ledger/event-store';
import { AvroEventCodec, toTopicMessages } from '@ledger/messaging';
import {
  accountsProjection,
  accountsReconciliation,
  ensureReadModelSchemaIfMissing,
  transfersProjection,
  transfersReconciliation,
} from '@ledger/read-models';
import {
  createTestDatabase,
  freePort,
  kafkaBrokers,
  schemaRegistryUrl,
  TestDatabase,
  waitFor,
} from '@ledger/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Pool } from 'pg';
import { run } from '../src/main';

// Reconciliation catches what lag cannot: a read-model row changed behind the projector's back, and an
// event the store holds but Kafka never received, both while the projector reports lag 0.
describe('ops-cli reconcile and the projector’s periodic check', () => {
  const prefix = `reconcile-${randomBytes(4).toString('hex')}.`;
  const previous = { url: process.env.DATABASE_URL, prefix: process.env.KAFKA_TOPIC_PREFIX };
  const kafka = new Kafka({
    clientId: 'reconcile-test',
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const codec = AvroEventCodec.forRegistry(schemaRegistryUrl());
  let database: TestDatabase;
  let store: PostgresEventStore;
  let sql: Pool;
  let producer: Producer;
  let projector: INestApplication;
  let transfersProjector: INestApplication;
  const transferId = randomUUID();
  let opsPort: number;
  let published = 0;
  const accounts: string[] = [];
  let stdout = '';
  let stderr = '';

  const cli = async (...argv: string[]) => {
    stdout = '';
    stderr = '';
    const out = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk) => ((stdout += String(chunk)), true));
    const err = jest
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk) => ((stderr += String(chunk)), true));
    try {
      return await run(argv);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  };

  /** Publishes the events appended since the last call, as the relay does. */
  async function relay(): Promise<void> {
    const events = (await store.readAll()).filter((event) => event.globalPosition > published);
    for (const topicMessages of await toTopicMessages(events, codec))
      await producer.send({ ...topicMessages, acks: -1 });
    published = Math.max(published, ...events.map((event) => event.globalPosition));
  }

  async function command(accountId: string, command: Record<string, unknown>) {
    const now = new Date().toISOString();
    await handleCommand(store, accountDecider, {
      streamId: accountStreamId(accountId),
      command: { accountId, now, ...command } as never,
      metadata: {},
    });
  }

  async function metric(name: string): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`${name}{`) && l.includes('projection="accounts"'));
    return line ? Number(line.split(' ').at(-1)) : Number.NaN;
  }

  // Kafka offsets are committed at most once per OFFSET_COMMIT_INTERVAL_MS (ADR 0023), so right after the
  // read model caught up the group's offsets may still trail it for up to that interval.
  async function lagReachesZero(): Promise<void> {
    await waitFor(async () => (await lagEvents()) === 0, { what: 'lag 0 on Kafka and in the read model' });
  }

  async function lagEvents(): Promise<number> {
    expect(await cli('--json', 'projections', 'status', `${prefix}ledger.projector.accounts`)).toBe(0);
    const [status] = JSON.parse(stdout) as { partitions: { lagEvents: number }[] }[];
    return status!.partitions.reduce((sum, partition) => sum + partition.lagEvents, 0);
  }

  async function applied(): Promise<boolean> {
    const { rows } = await sql.query<{ n: string }>(
      `select (select count(*) from events where stream_type = 'account') - coalesce((select sum(version) from account_summaries), 0) as n`,
    );
    return Number(rows[0]!.n) === 0;
  }

  beforeAll(async () => {
    database = await createTestDatabase('reconcile');
    process.env.DATABASE_URL = database.urlAs('owner');
    process.env.KAFKA_TOPIC_PREFIX = prefix;
    expect(await cli('setup', '--partitions', '2')).toBe(0);
    store = new PostgresEventStore({
      connectionString: database.urlAs('owner'),
      upcasters: ledgerUpcasters(),
    });
    sql = new Pool({ connectionString: database.url, max: 2 });
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();

    for (let i = 0; i < 4; i++) {
      const accountId = randomUUID();
      accounts.push(accountId);
      await command(accountId, { type: 'OpenAccount', ownerId: 'reconcile', currency: 'EUR' });
      await command(accountId, { type: 'DepositMoney', amount: 1000 + i, currency: 'EUR', reference: null });
      await command(accountId, {
        type: 'WithdrawMoney',
        amount: 10 * (i + 1),
        currency: 'EUR',
        reference: null,
      });
    }
    await handleCommand(store, transferDecider, {
      streamId: transferStreamId(transferId),
      command: {
        type: 'RequestTransfer',
        transferId,
        fromAccountId: accounts[0]!,
        toAccountId: accounts[3]!,
        amount: 5,
        currency: 'EUR',
        now: new Date().toISOString(),
      },
      metadata: {},
    });
    await relay();

    transfersProjector = await createConsumerApp({
      service: 'projector-transfers',
      defaultOpsPort: await freePort(),
      projection: () => transfersProjection(),
      prepare: ensureReadModelSchemaIfMissing,
      reconciliation: transfersReconciliation,
      env: {
        ...process.env,
        DATABASE_URL: database.urlAs('projector_transfers'),
        OPS_HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
      },
    });
    opsPort = await freePort();
    projector = await createConsumerApp({
      service: 'projector-accounts',
      defaultOpsPort: opsPort,
      projection: () => accountsProjection(),
      prepare: ensureReadModelSchemaIfMissing,
      reconciliation: accountsReconciliation,
      env: {
        ...process.env,
        // The projector's own role: it reconciles without reading events' data.
        DATABASE_URL: database.urlAs('projector_accounts'),
        OPS_PORT: String(opsPort),
        OPS_HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
        RECONCILE_INTERVAL_MS: '200',
        RECONCILE_BATCH_STREAMS: '2',
        RECONCILE_GRACE_MS: '1000',
      },
    });
    await waitFor(applied, { what: 'the projector to apply every account event', timeoutMs: 60_000 });
    await waitFor(async () => (await sql.query('select 1 from transfers')).rowCount === 1, {
      what: 'the transfers projector to apply the transfer',
      timeoutMs: 60_000,
    });
  }, 120_000);

  afterAll(async () => {
    await projector?.close();
    await transfersProjector?.close();
    await producer?.disconnect();
    await store?.close();
    await sql?.end();
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
    // Restored first: the test database is dropped through the stack's own database URL.
    if (previous.url === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous.url;
    await database?.drop();
    if (previous.prefix === undefined) delete process.env.KAFKA_TOPIC_PREFIX;
    else process.env.KAFKA_TOPIC_PREFIX = previous.prefix;
  });

  it('reports a clean system: exit 0, and the periodic check finds no drift in full passes', async () => {
    expect(await cli('reconcile', '--kafka', 'all')).toBe(0);
    expect(stdout).toContain('accounts: 4 streams, 0 drift, 0 catching up, 4 checked on Kafka');
    expect(stdout).toContain('transfers: 1 streams, 0 drift, 0 catching up, 1 checked on Kafka');
    expect(stdout).toContain('clean');
    expect(await cli('reconcile', '--kafka', 'sample', '--sample-size', '2')).toBe(0);
    expect(stdout).toContain('accounts: 4 streams, 0 drift, 0 catching up, 2 checked on Kafka');

    await waitFor(
      async () => (await metric('ledger_projection_reconciliation_last_full_pass_timestamp_seconds')) > 0,
      {
        what: 'a full reconciliation pass',
      },
    );
    const checked = await metric('ledger_projection_reconciliation_streams_checked_total');
    await waitFor(
      async () => (await metric('ledger_projection_reconciliation_streams_checked_total')) > checked,
      {
        what: 'another pass',
      },
    );
    expect(await metric('ledger_projection_reconciliation_drift_streams')).toBe(0);
  });

  it('catches a summary changed behind the projector’s back while the lag is 0', async () => {
    const tampered = accounts[1]!;
    await sql.query('update account_summaries set balance = balance + 1 where account_id = $1', [tampered]);
    try {
      await lagReachesZero();

      expect(await cli('reconcile', '--projection', 'accounts')).toBe(1);
      expect(stdout).toContain(`drift accounts account-${tampered}:`);
      expect(stdout).toContain('balance: expected 981, actual 982');
      expect(stdout).toContain('1 stream(s) drifted');

      expect(await cli('--json', 'reconcile', '--projection', 'accounts')).toBe(1);
      const report = JSON.parse(stdout) as { clean: boolean; drift: { streamId: string }[] };
      expect(report.clean).toBe(false);
      expect(report.drift.map((d) => d.streamId)).toEqual([`account-${tampered}`]);

      await waitFor(async () => (await metric('ledger_projection_reconciliation_drift_streams')) === 1, {
        what: 'the periodic check to report one drifting stream',
      });
      await lagReachesZero();
    } finally {
      await sql.query('update account_summaries set balance = balance - 1 where account_id = $1', [tampered]);
    }
    await waitFor(async () => (await metric('ledger_projection_reconciliation_drift_streams')) === 0, {
      what: 'the drift gauge to clear once the row is repaired',
    });
    expect(await cli('reconcile', '--projection', 'accounts')).toBe(0);
  });

  it('catches a transfer whose status differs from its stream’s last event', async () => {
    await sql.query(`update transfers set status = 'completed' where transfer_id = $1`, [transferId]);
    try {
      expect(await cli('reconcile', '--projection', 'transfers')).toBe(1);
      expect(stdout).toContain(`drift transfers transfer-${transferId}:`);
      expect(stdout).toContain('status: expected requested, actual completed');
    } finally {
      await sql.query(`update transfers set status = 'requested' where transfer_id = $1`, [transferId]);
    }
    expect(await cli('reconcile', '--projection', 'transfers')).toBe(0);
  });

  it('catches an event the store holds but Kafka never received, while the lag is 0', async () => {
    const accountId = accounts[2]!;
    await command(accountId, {
      type: 'DepositMoney',
      amount: 77,
      currency: 'EUR',
      reference: 'never published',
    });
    const [missing] = (await store.readStream(accountStreamId(accountId))).slice(-1);
    await lagReachesZero();

    expect(await cli('reconcile', '--projection', 'accounts', '--kafka', 'all', '--grace-seconds', '0')).toBe(
      1,
    );
    expect(stdout).toContain(`drift accounts account-${accountId}:`);
    expect(stdout).toContain(`kafka.v4 (${missing!.eventId}): expected published once, actual missing`);
    // The read model cannot have it either: it is behind the store by that one event.
    expect(stdout).toContain('version: expected 4, actual 3');

    // Published late (as a relay would after recovering), everything converges and reconciles clean.
    await relay();
    await waitFor(applied, { what: 'the late event to be applied' });
    expect(await cli('reconcile', '--projection', 'accounts', '--kafka', 'all')).toBe(0);
  });

  it.each([
    [['reconcile', '--projection', 'ledgers'], '--projection must be accounts, transfers or all'],
    [['reconcile', '--kafka', 'some'], '--kafka must be sample, all or off'],
    [['reconcile', '--sample-size', '0'], '--sample-size expects an integer ≥ 1'],
    [['reconcile', '--grace-seconds', 'soon'], '--grace-seconds expects an integer ≥ 0'],
  ])('refuses %j with exit code 2', async (argv, message) => {
    expect(await cli(...argv)).toBe(2);
    expect(stderr).toContain(message);
  });

  it('stops reconciling and closes its database connections when the projector closes', async () => {
    const connections = async () =>
      Number(
        (
          await sql.query<{ n: string }>(
            `select count(*) as n from pg_stat_activity where datname = current_database() and usename = $1`,
            [new URL(database.urlAs('projector_accounts')).username],
          )
        ).rows[0]!.n,
      );
    expect(await connections()).toBeGreaterThan(0);
    await projector.close();
    projector = undefined as unknown as INestApplication;
    await waitFor(async () => (await connections()) === 0, { what: 'the projector’s connections to close' });
  });
});
