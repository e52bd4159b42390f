import { INestApplication } from '@nestjs/common';
import type { Role } from '@ledger/auth';
import { runMigrations } from '@ledger/event-store';
import { createKafka } from '@ledger/messaging';
import { ensureProjectionSchema } from '@ledger/projections';
import { ensureReadModelSchema } from '@ledger/read-models';
import { createTestDatabase, kafkaBrokers, TestDatabase, testAuthEnv, testToken } from '@ledger/testing';
import type { Admin, Producer } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import request from 'supertest';
import type { QueryApiOptions } from '../src/app.module';
import { loadQueryApiConfig } from '../src/config';
import type { ProjectionFeeds } from '../src/consistency/feeds';
import { createQueryApp } from '../src/query-app';
import { Seeder } from './seed';

export type HttpClient = ReturnType<typeof request.agent>;

export interface QueryApp {
  app: INestApplication;
  /** Sends a token of the default test subject (role admin) with every request. */
  http: HttpClient;
  /** A client acting as `subject` with `role`. */
  as(subject: string, role: Role): Promise<HttpClient>;
  /** A client that sends no token. */
  anonymous: ReturnType<typeof request>;
  /** The read-model database, to seed rows the way the projectors would write them. */
  sql: Pool;
  seed: Seeder;
  /** This suite's own projections and topics (PARTITIONS partitions each). */
  feeds: ProjectionFeeds;
  database: TestDatabase;
  /** Appends `count` records to a partition, moving its log-end offset. */
  produce(topic: string, partition: number, count: number): Promise<void>;
  close(): Promise<void>;
}

export const PARTITIONS = 2;

/**
 * The query API on a fresh read-model database with the projection runtime's tables, and its own
 * projection names and Kafka topics, served in-process.
 */
export async function startQueryApp(
  env: Record<string, string> = {},
  options: QueryApiOptions = {},
  /** The address the app connects to for the database, e.g. through a proxy a test can stop. */
  appDatabaseUrl: (url: string) => string = (url) => url,
): Promise<QueryApp> {
  const suffix = randomBytes(4).toString('hex');
  const feeds: ProjectionFeeds = {
    accounts: { name: `query-test.${suffix}.accounts`, topics: [`query-test.${suffix}.account.events`] },
    transfers: { name: `query-test.${suffix}.transfers`, topics: [`query-test.${suffix}.transfer.events`] },
  };
  const topics = [...feeds.accounts.topics, ...feeds.transfers.topics];
  const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'query-api-test' });
  const admin: Admin = kafka.admin();
  const producer: Producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  await admin.createTopics({
    waitForLeaders: true,
    topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS })),
  });

  const database: TestDatabase = await createTestDatabase('query');
  const sql = new Pool({ connectionString: database.url, max: 3 });
  await ensureReadModelSchema(sql);
  await ensureProjectionSchema(sql);
  // The request logger reads LOG_LEVEL from the environment itself; tests are quiet unless asked otherwise.
  process.env.LOG_LEVEL ??= 'silent';
  // The relay check reads the event store, which these suites do not create unless they ask for it.
  if (env.QUERY_WAIT_FOR_RELAY === 'true') await runMigrations(database.url);
  const config = loadQueryApiConfig({
    ...process.env,
    DATABASE_URL: appDatabaseUrl(database.url),
    QUERY_WAIT_FOR_RELAY: 'false',
    ...testAuthEnv(),
    ...env,
  });
  const app = await createQueryApp(config, { feeds, ...options });
  await app.init();
  const as = async (subject: string, role: Role) =>
    request.agent(app.getHttpServer()).set('Authorization', `Bearer ${await testToken(subject, role)}`);
  return {
    app,
    http: await as('test-admin', 'admin'),
    as,
    anonymous: request(app.getHttpServer()),
    sql,
    seed: new Seeder(sql),
    feeds,
    database,
    async produce(topic, partition, count) {
      const messages = Array.from({ length: count }, (_, index) => ({
        key: `k${index}`,
        value: 'x',
        partition,
      }));
      await producer.send({ topic, messages });
    },
    async close() {
      await app.close();
      await sql.end();
      await admin.deleteTopics({ topics }).catch(() => undefined);
      await Promise.all([admin.disconnect(), producer.disconnect()]);
      await database.drop();
    },
  };
}
