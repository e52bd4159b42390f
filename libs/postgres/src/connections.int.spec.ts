import { createTestDatabase, TestDatabase, waitFor } from '@ledger/testing';
import { Pool } from 'pg';
import { createClient, createPool } from './connections';
import { withTransaction } from './transaction';
import { isDatabaseUnavailable } from './unavailable';

// A database restart terminates every session (57P01, then the socket closes). node-postgres emits
// 'error' on each client; one without a listener would crash the process.
describe('connections whose backend is terminated', () => {
  let database: TestDatabase;
  let admin: Pool;
  const heard: Error[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('pg_helpers');
    admin = new Pool({ connectionString: database.url, max: 1, application_name: 'terminator' });
  });
  afterAll(async () => {
    await admin?.end();
    await database?.drop();
  });

  const terminate = (applicationName: string) =>
    admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [
      applicationName,
    ]);

  it('reports the error of a checked-out pool client to the handler, and the pool goes on', async () => {
    const pool = createPool(
      { connectionString: database.url, max: 2, application_name: 'checked-out' },
      (e) => heard.push(e),
    );
    const client = await pool.connect();
    // Only the handler listens: no listener of the caller's own, as in code that forgot one.
    await terminate('checked-out');
    await waitFor(() => heard.some((error) => (error as { code?: string }).code === '57P01'), {
      what: 'the 57P01 error',
    });
    client.release(true);
    expect((await pool.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    await pool.end();
  });

  it('fails a transaction whose connection is terminated, and destroys that connection', async () => {
    const pool = createPool(
      { connectionString: database.url, max: 1, application_name: 'in-transaction' },
      () => undefined,
    );
    const failure = await withTransaction(pool, async (tx) => {
      await terminate('in-transaction');
      await tx.query('select pg_sleep(0.2)');
    }).catch((error: unknown) => error);
    // Either the next query reads the server's 57P01, or the client heard it first and refuses to send:
    // both are a database that cannot serve this transaction, which is what callers map to 503 or retry.
    expect(failure).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(failure)).toBe(true);
    expect((await pool.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    await pool.end();
  });

  it('reports the error of a dedicated connection to its handler', async () => {
    const errors: Error[] = [];
    const client = createClient({ connectionString: database.url, application_name: 'dedicated' }, (e) =>
      errors.push(e),
    );
    await client.connect();
    await terminate('dedicated');
    await waitFor(() => errors.length > 0, { what: 'the dedicated connection error' });
    await client.end().catch(() => undefined);
  });
});
