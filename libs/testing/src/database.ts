import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

const adminUrl = () => process.env.DATABASE_URL ?? 'postgres://ledger:ledger@127.0.0.1:5432/ledger';

export interface TestDatabase {
  /** Connection string of the fresh database. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty database on the stack's Postgres for one test file, so suites never share tables.
 * Drop it in afterAll.
 */
export async function createTestDatabase(prefix = 't'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
