import { createTestDatabase, type TestDatabase } from '@ledger/testing';
import { WrongExpectedVersionError } from '../errors';
import { runMigrations } from '../migrations/run-migrations';
import type { NewEvent } from '../types';
import { PostgresEventStore } from './postgres-event-store';

const WRITERS = 8;
const tick = (writer: number, n: number): NewEvent => ({
  type: 'ledger.test.Tick',
  schemaVersion: 1,
  data: { writer, n },
});

describe('concurrent appends to one stream', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('event_store_race');
    await runMigrations(database.url);
    store = new PostgresEventStore({ connectionString: database.url, poolSize: WRITERS });
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('lets exactly one writer win each expected version; the others get WrongExpectedVersionError', async () => {
    const streamId = 'counter-contended';
    const rounds = 20;
    for (let version = 0; version < rounds; version += 1) {
      const outcomes = await Promise.allSettled(
        Array.from({ length: WRITERS }, (_, writer) =>
          store.appendToStream(streamId, 'counter', version, [tick(writer, version)]),
        ),
      );
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const lost = outcomes.flatMap((outcome) =>
        outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
      );
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(WRITERS - 1);
      for (const error of lost) {
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ expected: version, actual: version + 1 });
      }
    }
    const events = await store.readStream(streamId);
    expect(events.map((event) => event.streamVersion)).toEqual(
      Array.from({ length: rounds }, (_, i) => i + 1),
    );
  });

  it('keeps versions contiguous and every event once when writers retry on conflict', async () => {
    const streamId = 'counter-retrying';
    const perWriter = 10;
    let conflicts = 0;
    const writer = async (id: number) => {
      for (let n = 0; n < perWriter;) {
        const current = (await store.readStream(streamId)).length;
        try {
          await store.appendToStream(streamId, 'counter', current, [tick(id, n)]);
          n += 1;
        } catch (error) {
          if (!(error instanceof WrongExpectedVersionError)) throw error;
          conflicts += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, id) => writer(id)));

    const events = await store.readStream(streamId);
    expect(events.map((event) => event.streamVersion)).toEqual(
      Array.from({ length: WRITERS * perWriter }, (_, i) => i + 1),
    );
    const written = events.map((event) => JSON.stringify(event.data));
    expect(new Set(written).size).toBe(WRITERS * perWriter);
    for (let id = 0; id < WRITERS; id += 1) {
      const own = events
        .map((event) => event.data as { writer: number; n: number })
        .filter((data) => data.writer === id);
      expect(own.map((data) => data.n)).toEqual(Array.from({ length: perWriter }, (_, n) => n));
    }
    expect(conflicts).toBeGreaterThan(0);
  });
});
