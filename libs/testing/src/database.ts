import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { databaseLogin, ensureDatabaseRoles, type DatabaseLogin } from './database-roles';

/** How long drop() waits for the database's sessions to close by themselves before terminating them. */
const DROP_GRACE_MS = 2_000;

const adminUrl = () => process.env.DATABASE_URL ?? 'postgres://ledger:ledger@127.0.0.1:5432/ledger';

export interface TestDatabase {
  /** Connection string of the fresh database, as the bootstrap superuser (tests' own set-up and checks). */
  url: string;
  name: string;
  /** Connection string as one of the ledger's login roles: the schema owner or an app's role. */
  urlAs(login: DatabaseLogin): string;
  drop(): Promise<void>;
}

let rolesEnsured: Promise<void> | undefined;

/**
 * Creates an empty database on the stack's Postgres for one test file, so suites never share tables.
 * The database belongs to the owner role (as in production: it migrates, the apps' roles only use), and
 * the roles exist. Drop it in afterAll.
 */
export async function createTestDatabase(prefix = 't'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    rolesEnsured ??= ensureDatabaseRoles(admin).catch((error: unknown) => {
      rolesEnsured = undefined;
      throw error;
    });
    await rolesEnsured;
    await admin.query(`create database "${name}" owner "${databaseLogin('owner').user}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    urlAs(login) {
      const as = new URL(url);
      const { user, password } = databaseLogin(login);
      as.username = encodeURIComponent(user);
      as.password = encodeURIComponent(password);
      return as.toString();
    },
    async drop() {
      const client = new Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        // A pool's end() resolves before its sockets have closed: give those sessions a moment to leave,
        // or FORCE terminates them mid-close and their clients raise an unhandled 57P01 in whatever test
        // runs next. Sessions still there after the wait are terminated (a test that leaked a client).
        for (let waited = 0; waited < DROP_GRACE_MS; waited += 20) {
          const { rows } = await client.query<{ n: number }>(
            'select count(*)::int as n from pg_stat_activity where datname = $1',
            [name],
          );
          if (rows[0]!.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
