import { applyProjection, ensureProjectionSchema } from '@ledger/projections';
import {
  accountsProjection,
  ensureReadModelSchema,
  PROJECTIONS,
  transfersProjection,
} from '@ledger/read-models';
import { createTestDatabase, kafkaBrokers, type TestDatabase } from '@ledger/testing';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { account, EventLog, transfer } from '../../../libs/read-models/src/spec-support';
import { run } from '../src/main';
import { captureCliOutput, restoreEnvAfterAll } from './support/cli';

// `projections replay` with the projector stopped: the read model empties its tables and checkpoints, and
// the consumer group goes back to the first offset, so a projector started next applies everything again.

const prefix = `replay-${randomBytes(4).toString('hex')}.`;

describe('ops-cli projections replay', () => {
  const output = captureCliOutput();
  restoreEnvAfterAll('DATABASE_URL', 'KAFKA_TOPIC_PREFIX');
  let database: TestDatabase;
  let sql: Pool;
  let admin: Admin;
  const log = new EventLog();

  beforeAll(async () => {
    process.env.KAFKA_TOPIC_PREFIX = prefix;
    database = await createTestDatabase('replay');
    sql = new Pool({ connectionString: database.url, max: 2 });
    await ensureProjectionSchema(sql);
    await ensureReadModelSchema(sql);
    process.env.DATABASE_URL = database.url;
    admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const topics = [...PROJECTIONS.accounts.topics, ...PROJECTIONS.transfers.topics];
    await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic })) });
  });
  afterAll(async () => {
    const ours = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours });
    await admin.disconnect();
    await sql.end();
    await database.drop();
  });

  /** Both read models with rows, checkpoints and a consumer group committed past three records. */
  async function given() {
    const a = randomUUID();
    const b = randomUUID();
    const at = new Date().toISOString();
    await apply(accountsProjection(), log.record(account(a).opened(at), account(b).opened(at)));
    await apply(transfersProjection(), log.record(transfer(randomUUID()).requested(a, b, 100, at)));
    for (const model of [PROJECTIONS.accounts, PROJECTIONS.transfers]) {
      await sql.query(
        `insert into projection_checkpoints (projection, stream_id, version) values ($1, $2, 1)`,
        [model.name, `account-${a}`],
      );
      await admin.setOffsets({
        groupId: model.name,
        topic: model.topics[0]!,
        partitions: [{ partition: 0, offset: '3' }],
      });
    }
  }

  async function apply(
    projection: ReturnType<typeof accountsProjection>,
    events: ReturnType<EventLog['record']>,
  ) {
    const client = await sql.connect();
    try {
      await client.query('begin');
      await applyProjection(client, projection, events);
      await client.query('commit');
    } finally {
      client.release();
    }
  }

  const count = async (table: string) =>
    Number((await sql.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]!.n);
  const checkpoints = async (group: string) =>
    Number(
      (
        await sql.query<{ n: string }>(
          'select count(*) as n from projection_checkpoints where projection = $1',
          [group],
        )
      ).rows[0]!.n,
    );
  const committed = async (group: string, topic: string) =>
    (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0]!.partitions[0]!.offset;

  it('without --yes only shows the plan and exits 2, changing nothing', async () => {
    await given();
    const name = PROJECTIONS.accounts.name;

    expect(await run(['projections', 'replay', name])).toBe(2);

    expect(output.stdout).toContain(
      'would truncate account_summaries, account_statement_entries, account_history',
    );
    expect(output.stderr).toContain('replay discards the read model: pass --yes to do it');
    expect(await count('account_summaries')).toBeGreaterThan(0);
    expect(await checkpoints(name)).toBeGreaterThan(0);
    expect(await committed(name, PROJECTIONS.accounts.topics[0]!)).toBe('3');
  });

  it('empties the read model and its checkpoints and resets its group to the first offset; the other model keeps its own', async () => {
    await given();
    const accounts = PROJECTIONS.accounts;
    const transfers = PROJECTIONS.transfers;

    expect(await run(['projections', 'replay', accounts.name, '--yes'])).toBe(0);

    expect(output.stdout).toContain(`read model of ${accounts.name} truncated`);
    for (const table of ['account_summaries', 'account_statement_entries', 'account_history'])
      expect({ table, rows: await count(table) }).toEqual({ table, rows: 0 });
    expect(await checkpoints(accounts.name)).toBe(0);
    // kafkajs' resetOffsets commits -2, which a consumer of the group reads as "from the earliest offset".
    expect(await committed(accounts.name, accounts.topics[0]!)).toBe('-2');
    expect(await count('transfers')).toBeGreaterThan(0);
    expect(await checkpoints(transfers.name)).toBeGreaterThan(0);
    expect(await committed(transfers.name, transfers.topics[0]!)).toBe('3');
  });
});
