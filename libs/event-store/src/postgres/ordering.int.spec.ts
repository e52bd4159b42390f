import { createTestDatabase, type TestDatabase } from '@ledger/testing';
import { LOG_START } from '../log-position';
import { runMigrations } from '../migrations/run-migrations';
import type { LogPosition } from '../types';
import { PostgresEventStore } from './postgres-event-store';

// Positions and transaction ids are read as text (bigint and xid8 exceed what a query may sort as a
// number in JavaScript); the SQL must still sort by the columns, or '10' sorts before '9' and a page
// boundary skips events. A fresh database makes the positions of one append cross from 9 to 10.
describe('PostgresEventStore ordering across a power of ten', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('event_order');
    await runMigrations(database.url);
    store = new PostgresEventStore({ connectionString: database.url, poolSize: 2 });
    const events = Array.from({ length: 12 }, (_, i) => ({
      type: 'test.Counted',
      schemaVersion: 1,
      data: { i },
    }));
    await store.appendToStream('counter-1', 'counter', 'no_stream', events);
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('reads all events in numeric position order, also when limited', async () => {
    expect((await store.readAll()).map((event) => event.globalPosition)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
    expect((await store.readAll({ after: 5, limit: 5 })).map((event) => event.globalPosition)).toEqual([
      6, 7, 8, 9, 10,
    ]);
  });

  it('pages through the gap-free log without skipping an event', async () => {
    const seen: number[] = [];
    let position: LogPosition = LOG_START;
    // xids are cluster-wide: another database's open transaction may hold the horizon back for a while,
    // and the tail then waits (withheld); a read that returns nothing is no page.
    const deadline = Date.now() + 10_000;
    for (let page = 0; page < 10 && seen.length < 12 && Date.now() < deadline;) {
      const batch = await store.readAllSafe({ after: position, limit: 7 });
      if (batch.events.length === 0 && batch.withheld) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      seen.push(...batch.events.map((event) => event.globalPosition));
      position = batch.position;
      page++;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});
