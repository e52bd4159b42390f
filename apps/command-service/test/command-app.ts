import { INestApplication } from '@nestjs/common';
import type { Role } from '@ledger/auth';
import { runMigrations } from '@ledger/event-store';
import { createHttpApp } from '@ledger/http';
import { createTestDatabase, TestDatabase, testAuthEnv, testToken } from '@ledger/testing';
import { Pool } from 'pg';
import request from 'supertest';
import { CommandServiceModule } from '../src/app.module';
import { loadCommandServiceConfig } from '../src/config';
import { mapCommandError } from '../src/shared/problem-mapping';

export type HttpClient = ReturnType<typeof request.agent>;

export interface CommandApp {
  app: INestApplication;
  /** Sends a token of the default test subject (role admin) with every request. */
  http: HttpClient;
  /** A client acting as `subject` with `role` (a token of the test key pair on every request). */
  as(subject: string, role: Role): Promise<HttpClient>;
  /** A client that sends no token. */
  anonymous: ReturnType<typeof request>;
  database: TestDatabase;
  /** Direct access to the store's tables, to prove what was (not) written. */
  sql: Pool;
  eventCount(streamId?: string): Promise<number>;
  /** A second, independent service instance on the same database. */
  cloneOnSameDatabase(): Promise<CommandApp>;
  /** Stops this instance only. */
  closeApp(): Promise<void>;
  /** Stops this instance and drops the database. */
  close(): Promise<void>;
}

/** The command service on a fresh database, served in-process (the HTTP stack is the real one). */
export async function startCommandApp(
  env: Record<string, string> = {},
  existing?: TestDatabase,
): Promise<CommandApp> {
  const database = existing ?? (await createTestDatabase('cmd'));
  await runMigrations(database.url);
  const config = loadCommandServiceConfig({
    ...process.env,
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '20',
    ...testAuthEnv(),
    ...env,
  });
  const app = await createHttpApp(CommandServiceModule.forRoot(config), {
    title: 'test',
    description: 'test',
    http: config,
    mapApplicationError: mapCommandError,
  });
  await app.init();
  const sql = new Pool({ connectionString: database.url, max: 2 });
  const as = async (subject: string, role: Role) =>
    request.agent(app.getHttpServer()).set('Authorization', `Bearer ${await testToken(subject, role)}`);
  return {
    app,
    http: await as('test-admin', 'admin'),
    as,
    anonymous: request(app.getHttpServer()),
    database,
    sql,
    async eventCount(streamId?: string) {
      const { rows } = streamId
        ? await sql.query('select count(*)::int as n from events where stream_id = $1', [streamId])
        : await sql.query('select count(*)::int as n from events');
      return rows[0].n;
    },
    cloneOnSameDatabase: () => startCommandApp(env, database),
    async closeApp() {
      await app.close();
      await sql.end();
    },
    async close() {
      await app.close();
      await sql.end();
      await database.drop();
    },
  };
}
