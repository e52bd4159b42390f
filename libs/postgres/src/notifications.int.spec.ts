import { createTestDatabase, TestDatabase, waitFor } from '@ledger/testing';
import { Pool } from 'pg';
import { NotificationListener } from './notifications';

describe('NotificationListener', () => {
  let database: TestDatabase;
  let admin: Pool;
  let listener: NotificationListener;
  const states: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('pg_notifications');
    admin = new Pool({ connectionString: database.url, max: 1, application_name: 'notifier' });
    listener = new NotificationListener({
      connection: { connectionString: database.url, application_name: 'listener-spec' },
      channel: 'spec_progress',
      retryMs: 20,
      onState: (state) => states.push(state),
    });
    await listener.start();
  });
  afterAll(async () => {
    await listener?.close();
    await admin?.end();
    await database?.drop();
  });

  const notify = () => admin.query(`select pg_notify('spec_progress', '')`);

  /** How long a wait bounded by `boundMs` took when `act` runs right after it began. */
  async function timedWait(boundMs: number, act: () => Promise<unknown>): Promise<number> {
    const started = performance.now();
    const waiting = listener.wait(boundMs);
    await act();
    await waiting;
    return performance.now() - started;
  }

  it('wakes every waiter at the next notification, well before their bound', async () => {
    expect(listener.listening).toBe(true);
    const started = performance.now();
    const waits = [listener.wait(10_000), listener.wait(10_000)];
    await notify();
    await Promise.all(waits);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('ends a wait at its bound when nothing is notified', async () => {
    const waited = await timedWait(50, async () => undefined);
    expect(waited).toBeGreaterThanOrEqual(45);
    expect(waited).toBeLessThan(5_000);
  });

  it('listens again by itself after its connection was terminated, as by a Postgres restart', async () => {
    await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'listener-spec'`,
    );
    await waitFor(() => states.includes('lost'), { what: 'the listener to notice the lost connection' });
    await waitFor(() => listener.listening, { what: 'the listener to listen again' });
    expect(states.filter((state) => state === 'listening').length).toBe(2);
    expect(await timedWait(10_000, notify)).toBeLessThan(5_000);
  });

  it('refuses a channel name it would have to quote', () => {
    expect(() => new NotificationListener({ connection: {}, channel: 'progress; drop table x' })).toThrow(
      /not a channel name/,
    );
  });
});
