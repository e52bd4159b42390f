import { createTestDatabase, type TestDatabase } from '@ledger/testing';
import { Client } from 'pg';
import { compareLogPositions, logPositionOf } from '../log-position';
import { runMigrations } from '../migrations/run-migrations';
import type { NewEvent, RecordedEvent } from '../types';
import { appendInTransaction } from './append';
import { PostgresEventStore } from './postgres-event-store';

// GAP_TEST_ROUNDS=500 npx jest gap.int  — more rounds for a longer soak.
const ROUNDS = Number(process.env.GAP_TEST_ROUNDS ?? 50);
const LATER_APPENDS = 4;

const event = (round: number): NewEvent => ({ type: 'ledger.test.Tick', schemaVersion: 1, data: { round } });

/** A subscription that records what it delivers and counts the times it caught up. */
function tail(store: PostgresEventStore) {
  const delivered: RecordedEvent[] = [];
  let caughtUp = 0;
  let notify: () => void = () => undefined;
  const changed = () => new Promise<void>((resolve) => (notify = resolve));
  const controller = new AbortController();
  const running = store.subscribeToAll({
    signal: controller.signal,
    pollIntervalMs: 50,
    onEvents: (events) => {
      delivered.push(...events);
      notify();
    },
    onCaughtUp: () => {
      caughtUp += 1;
      notify();
    },
  });
  return {
    delivered,
    async until(condition: () => boolean): Promise<void> {
      while (!condition()) await changed();
    },
    /**
     * Two more catch-ups: the second comes from a read that started after the first ended, so after this
     * call's start. Whatever that read could see, the tail has had its chance to deliver.
     */
    async afterAFullRead(): Promise<void> {
      const target = caughtUp + 2;
      while (caughtUp < target) await changed();
    },
    async stop(): Promise<void> {
      controller.abort();
      await running;
    },
  };
}

describe('the gap-free tail', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let held: Client;
  let older: Client;
  const roundOf = (e: RecordedEvent) => (e.data as { round: number }).round;

  beforeAll(async () => {
    database = await createTestDatabase('event_store_gap');
    await runMigrations(database.url);
    store = new PostgresEventStore({ connectionString: database.url, poolSize: LATER_APPENDS + 2 });
    held = new Client({ connectionString: database.url });
    older = new Client({ connectionString: database.url });
    await Promise.all([held.connect(), older.connect()]);
  });

  afterAll(async () => {
    await Promise.all([held?.end(), older?.end()]);
    await store?.close();
    await database?.drop();
  });

  /** After a test: the tail delivered exactly what is stored, each event once, in strictly increasing log order. */
  async function expectDeliveredExactlyOnceInLogOrder(delivered: readonly RecordedEvent[]): Promise<void> {
    const stored = await store.readAll({ limit: 10_000 });
    const ids = delivered.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(stored.map((e) => e.eventId)));
    const positions = delivered.map(logPositionOf);
    positions
      .slice(1)
      .forEach((position, i) => expect(compareLogPositions(position, positions[i])).toBeGreaterThan(0));
  }

  it(`delivers every event exactly once, in visibility order, while an earlier append commits late (${ROUNDS} rounds)`, async () => {
    const subscription = tail(store);
    const deliveredIn = (round: number) => subscription.delivered.filter((e) => roundOf(e) === round);

    for (let round = 0; round < ROUNDS; round += 1) {
      await held.query('begin');
      const early = await appendInTransaction(held, {
        streamId: `held-${round}`,
        streamType: 'test',
        expectedVersion: 'no_stream',
        events: [event(round)],
      });
      const later = await Promise.all(
        Array.from({ length: LATER_APPENDS }, (_, i) =>
          store.appendToStream(`later-${round}-${i}`, 'test', 'no_stream', [event(round)]),
        ),
      );
      // The gap: committed events sit above a lower position that is not visible yet.
      expect(Math.min(...later.map((result) => result.lastGlobalPosition))).toBeGreaterThan(
        early.lastGlobalPosition,
      );

      await subscription.afterAFullRead();
      expect(deliveredIn(round)).toEqual([]);

      await held.query('commit');
      await subscription.until(() => deliveredIn(round).length === LATER_APPENDS + 1);
      expect(deliveredIn(round).map((e) => e.streamId)[0]).toBe(`held-${round}`);
    }
    await subscription.stop();

    expect(subscription.delivered).toHaveLength(ROUNDS * (LATER_APPENDS + 1));
    await expectDeliveredExactlyOnceInLogOrder(subscription.delivered);
  });

  it(`delivers an event whose position is lower than one already delivered, when its transaction is younger (${ROUNDS} rounds)`, async () => {
    // A transaction's id is taken at its first write, its position later (an idempotency key insert comes
    // first). So an older transaction can hold a higher position than a younger one: a checkpoint on
    // global_position alone would skip the younger one's event.
    const subscription = tail(store);
    const before = (await store.readAll({ limit: 10_000 })).length;
    const deliveredIn = (round: number) =>
      subscription.delivered.filter((e) => roundOf(e) === ROUNDS + round);

    for (let round = 0; round < ROUNDS; round += 1) {
      await older.query('begin');
      await older.query('select pg_current_xact_id()');
      await held.query('begin');
      const younger = await appendInTransaction(held, {
        streamId: `younger-${round}`,
        streamType: 'test',
        expectedVersion: 'no_stream',
        events: [event(ROUNDS + round)],
      });
      const old = await appendInTransaction(older, {
        streamId: `older-${round}`,
        streamType: 'test',
        expectedVersion: 'no_stream',
        events: [event(ROUNDS + round)],
      });
      await older.query('commit');
      expect(old.lastGlobalPosition).toBeGreaterThan(younger.lastGlobalPosition);

      // The older transaction is below the horizon now; the younger one still runs.
      await subscription.until(() => deliveredIn(round).length === 1);
      await held.query('commit');
      await subscription.until(() => deliveredIn(round).length === 2);
      expect(deliveredIn(round).map((e) => e.streamId)).toEqual([`older-${round}`, `younger-${round}`]);
    }
    await subscription.stop();

    expect(subscription.delivered).toHaveLength(before + 2 * ROUNDS);
    await expectDeliveredExactlyOnceInLogOrder(subscription.delivered);
  });
});
