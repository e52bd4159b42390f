import { Client } from 'pg';
import { createTestDatabase } from './database';

// A pool's end() resolves before its sockets have closed. Dropping the database WITH (FORCE) at once then
// terminated those sessions mid-close, and the clients raised an unhandled 57P01 "terminating connection
// due to administrator command" in whatever test ran next (seen in CI after the migrations spec).

describe('a test database', () => {
  it('lets a session that is closing leave by itself before the database is dropped', async () => {
    const database = await createTestDatabase('drop_grace');
    const client = new Client({ connectionString: database.url });
    const errors: Error[] = [];
    client.on('error', (error) => errors.push(error));
    await client.connect();

    const closing = new Promise<void>((resolve) =>
      setTimeout(() => void client.end().then(resolve, resolve), 200),
    );
    await database.drop();
    await closing;

    expect(errors).toEqual([]);
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const { rows } = await admin.query('select 1 from pg_database where datname = $1', [database.name]);
      expect(rows).toEqual([]);
    } finally {
      await admin.end();
    }
  });
});
