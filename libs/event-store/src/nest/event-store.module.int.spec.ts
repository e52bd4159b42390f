import { Test } from '@nestjs/testing';
import { createTestDatabase, type TestDatabase } from '@ledger/testing';
import type { EventStore } from '../event-store';
import { runMigrations } from '../migrations/run-migrations';
import { PostgresEventStore } from '../postgres/postgres-event-store';
import { UpcasterRegistry } from '../upcasters';
import { EVENT_STORE, EventStoreModule } from './event-store.module';

describe('EventStoreModule', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('event_store_nest');
    await runMigrations(database.url);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('provides a PostgresEventStore with the given upcasters and closes it on shutdown', async () => {
    const upcasters = new UpcasterRegistry().register('ledger.test.Tick', 1, (data: object) => ({
      ...data,
      v2: true,
    }));
    const app = await Test.createTestingModule({
      imports: [EventStoreModule.forRoot({ url: database.url, poolSize: 2, upcasters })],
    }).compile();
    await app.init();
    const store = app.get<EventStore>(EVENT_STORE);
    expect(store).toBeInstanceOf(PostgresEventStore);

    await store.appendToStream('tick-1', 'tick', 'no_stream', [
      { type: 'ledger.test.Tick', schemaVersion: 1, data: {} },
    ]);
    expect(await store.readStream('tick-1')).toMatchObject([{ schemaVersion: 2, data: { v2: true } }]);

    await app.close();
    await expect(store.readStream('tick-1')).rejects.toThrow(/pool/);
  });
});
