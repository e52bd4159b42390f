import { logPositionOf, PostgresEventStore, RecordedEvent } from '@ledger/event-store';
import { randomUUID } from 'node:crypto';
import { QueryApp, startQueryApp } from './query-app';

const CHECKPOINT = 'outbox-relay';

// Given: an event store in the same database, two appended events, and projections whose topics hold
// nothing yet, so Kafka alone would call them caught up with any position.
describe('query API: minPosition waits for the outbox relay to publish the event', () => {
  let api: QueryApp;
  let store: PostgresEventStore;
  let first: RecordedEvent;
  let second: RecordedEvent;
  const append = (streamId: string) =>
    store.appendToStream(streamId, 'account', 'no_stream', [
      { type: 'ledger.accounts.AccountOpened', schemaVersion: 1, data: { accountId: randomUUID() } },
    ]);

  beforeAll(async () => {
    api = await startQueryApp({ QUERY_WAIT_FOR_RELAY: 'true', RELAY_CHECKPOINT_NAME: CHECKPOINT });
    store = new PostgresEventStore({ connectionString: api.database.url, poolSize: 2 });
    await append(`account-${randomUUID()}`);
    await append(`account-${randomUUID()}`);
    [first, second] = (await store.readAll({ limit: 2 })) as [RecordedEvent, RecordedEvent];
  });
  afterAll(async () => {
    await store?.close();
    await api?.close();
  });

  it('answers 503 STALE_READ with relayPublished false while the relay has not published the event', async () => {
    const response = await api.http
      .get('/projections')
      .query({ minPosition: first.globalPosition, maxWaitMs: 150 })
      .expect(503);
    expect(response.body).toMatchObject({
      code: 'STALE_READ',
      relayPublished: false,
      consistentPosition: first.globalPosition - 1,
      detail: expect.stringContaining('not published'),
    });
  });

  it('answers once the relay checkpoints past the event while the request waits', async () => {
    const pending = api.http
      .get('/projections')
      .query({ minPosition: first.globalPosition, maxWaitMs: 1_500 })
      .then((r) => r);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await store.saveCheckpoint(CHECKPOINT, logPositionOf(first));
    const response = await pending;
    expect(response.status).toBe(200);
    expect(Number(response.headers['x-consistent-position'])).toBeGreaterThanOrEqual(first.globalPosition);
    await api.http
      .get('/projections')
      .query({ minPosition: second.globalPosition, maxWaitMs: 0 })
      .expect(503);
  });

  it('still waits for the projection once the event is published', async () => {
    await store.saveCheckpoint(CHECKPOINT, logPositionOf(second));
    const topic = api.feeds.accounts.topics[0]!;
    await api.produce(topic, 0, 1);
    const response = await api.http
      .get('/accounts')
      .query({ minPosition: second.globalPosition, maxWaitMs: 100 })
      .expect(503);
    expect(response.body).toMatchObject({
      relayPublished: true,
      lagging: [expect.objectContaining({ topic, partition: 0 })],
    });
    await api.seed.progress(api.feeds.accounts.name, topic, 0, 0, second.globalPosition);
    await api.http.get('/accounts').query({ minPosition: second.globalPosition }).expect(200);
  });

  it('treats minPosition 0 as asking for nothing', async () => {
    await api.http.get('/transfers').query({ accountId: randomUUID(), minPosition: 0 }).expect(200);
  });

  it('reports the event store in readiness', async () => {
    const ready = await api.http.get('/health/ready').expect(200);
    expect(ready.body.checks['event-store']).toMatchObject({ status: 'up' });
  });
});
