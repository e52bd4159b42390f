import { INestApplication } from '@nestjs/common';
import { runMigrations } from '@ledger/event-store';
import { createHttpApp } from '@ledger/http';
import { createTestDatabase, TestDatabase } from '@ledger/testing';
import { Pool } from 'pg';
import request from 'supertest';
import { CommandServiceModule } from '../src/app.module';
import { loadCommandServiceConfig } from '../src/config';
import { mapCommandError } from '../src/shared/problem-mapping';

export interface CommandApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
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
export async function startCommandApp(env: Record<string, string> = {}, existing?: TestDatabase): Promise<CommandApp> {
  const database = existing ?? (await createTestDatabase('cmd'));
  await runMigrations(database.url);
  const config = loadCommandServiceConfig({ ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: database.url, DATABASE_POOL_SIZE: '20', ...env });
  const app = await createHttpApp(CommandServiceModule.forRoot(config), {
    title: 'test',
    description: 'test',
    http: config,
    mapApplicationError: mapCommandError,
  });
  await app.init();
  const sql = new Pool({ connectionString: database.url, max: 2 });
  return {
    app,
    http: request(app.getHttpServer()),
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
