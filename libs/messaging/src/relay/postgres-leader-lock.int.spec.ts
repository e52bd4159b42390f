import { randomUUID } from 'node:crypto';
import { createTestDatabase, waitFor, type TestDatabase } from '@ledger/testing';
import { Client } from 'pg';
import { LeadershipLostError, type Leadership } from './leadership';
import { PostgresLeaderLock } from './postgres-leader-lock';

describe('PostgresLeaderLock', () => {
  let database: TestDatabase;
  let sql: Client;
  const stop = new AbortController();
  const held: Leadership[] = [];

  const lock = (instance: string, lockName = 'relay') =>
    new PostgresLeaderLock({
      connectionString: database.url,
      lockName,
      applicationName: `lock-test:${instance}`,
      retryIntervalMs: 100,
      heartbeatIntervalMs: 200,
    });
  const acquire = async (candidate: PostgresLeaderLock, signal = stop.signal) => {
    const leadership = await candidate.acquire(signal);
    if (leadership) held.push(leadership);
    return leadership;
  };

  beforeAll(async () => {
    database = await createTestDatabase('lock');
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  });

  afterAll(async () => {
    stop.abort();
    await Promise.all(held.map((leadership) => leadership.release()));
    await sql.end();
    await database.drop();
  });

  it('grants the lock to one instance; a standby gets it within a retry interval of its release', async () => {
    const leader = await acquire(lock('a'));
    let standbyLeads = false;
    const standby = acquire(lock('b')).then((leadership) => {
      standbyLeads = true;
      return leadership;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(standbyLeads).toBe(false);

    const released = Date.now();
    await leader?.release();
    await standby;
    expect(Date.now() - released).toBeLessThan(1_000);
    await expect(leader?.assertHeld()).rejects.toBeInstanceOf(LeadershipLostError);
  });

  it('tells the leader at once when its connection is killed, and frees the lock for a standby', async () => {
    const leader = await acquire(lock('c', 'killed'));
    const standby = acquire(lock('d', 'killed'));

    await sql.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'lock-test:c'`,
    );

    await waitFor(() => leader?.lost.aborted, { what: 'the leader to notice', timeoutMs: 2_000 });
    await expect(leader?.assertHeld()).rejects.toBeInstanceOf(LeadershipLostError);
    await expect(standby).resolves.toBeDefined();
  });

  it('keeps locks of different names apart, and gives up waiting when told to stop', async () => {
    await acquire(lock('e', 'one'));
    await expect(acquire(lock('f', 'two'))).resolves.toBeDefined();

    const giveUp = new AbortController();
    const waiting = acquire(lock('g', 'one'), giveUp.signal);
    giveUp.abort();
    await expect(waiting).resolves.toBeUndefined();
    const { rows } = await sql.query(
      `select count(*)::int as n from pg_stat_activity where application_name = 'lock-test:g'`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('is visible in pg_locks under the holder application name', async () => {
    const name = `visible-${randomUUID()}`;
    await acquire(lock('h', name));

    const { rows } = await sql.query(
      `select a.application_name from pg_locks l join pg_stat_activity a using (pid)
       where l.locktype = 'advisory' and l.granted and a.application_name like 'lock-test:%'`,
    );
    expect(rows.map((row) => row.application_name)).toContain('lock-test:h');
  });
});
