import { QueryApp, startQueryApp } from './query-app';

describe('query API: projections, docs, health and metrics', () => {
  let api: QueryApp;
  beforeAll(async () => {
    api = await startQueryApp();
  });
  afterAll(() => api?.close());

  it('reports each projection per partition against the log end, with lag in events and seconds', async () => {
    const { name, topics } = api.feeds.accounts;
    const topic = topics[0]!;
    await api.produce(topic, 0, 5);
    await api.produce(topic, 1, 2);
    await api.seed.progress(name, topic, 0, 2, 17);
    await api.seed.progress(name, topic, 1, 1, 9);

    const response = await api.http.get('/projections').expect(200);
    const accounts = response.body.projections.find((p: { name: string }) => p.name === name);
    expect(accounts).toMatchObject({
      name,
      topics: [topic],
      status: 'catching-up',
      lagEvents: 2,
      parked: { retrying: 0, deadLettered: 0, events: 0 },
    });
    expect(accounts.partitions).toEqual([
      {
        topic,
        partition: 0,
        committedOffset: null,
        appliedOffset: 2,
        logEndOffset: 5,
        lagEvents: 2,
        globalPosition: 17,
        lastAppliedRecordedAt: expect.any(String),
        lagSeconds: expect.any(Number),
      },
      {
        topic,
        partition: 1,
        committedOffset: null,
        appliedOffset: 1,
        logEndOffset: 2,
        lagEvents: 0,
        globalPosition: 9,
        lastAppliedRecordedAt: expect.any(String),
        lagSeconds: 0,
      },
    ]);
    const transfers = response.body.projections.find(
      (p: { name: string }) => p.name === api.feeds.transfers.name,
    );
    expect(transfers).toMatchObject({ status: 'caught-up', lagEvents: 0 });
    expect(transfers.partitions).toHaveLength(2);
  });

  it('serves its OpenAPI document with the consistency contract', async () => {
    const response = await api.http.get('/docs-json').expect(200);
    expect(response.body.info.title).toBe('Ledger query API');
    expect(response.body.info.description).toContain('STALE_READ');
    expect(Object.keys(response.body.paths).sort()).toEqual([
      '/accounts',
      '/accounts/{id}',
      '/accounts/{id}/balance',
      '/accounts/{id}/history',
      '/accounts/{id}/statement',
      '/projections',
      '/transfers',
      '/transfers/{id}',
    ]);
    const statement = response.body.paths['/accounts/{id}/statement'].get;
    expect(statement.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`).sort()).toEqual(
      [
        'path:id',
        'query:cursor',
        'query:from',
        'query:limit',
        'query:maxWaitMs',
        'query:minPosition',
        'query:to',
      ],
    );
    expect(Object.keys(statement.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '503']));
  });

  it('is live, ready with Postgres and Kafka, and exposes its metrics', async () => {
    await api.http.get('/health/live').expect(200);
    const ready = await api.http.get('/health/ready').expect(200);
    expect(Object.keys(ready.body.checks).sort()).toEqual(['kafka', 'postgres']);
    await api.http
      .get('/accounts/00000000-0000-4000-8000-000000000000')
      .query({ minPosition: 0 })
      .expect(404);
    const metrics = await api.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(
      /ledger_query_consistency_wait_seconds_count\{[^}]*outcome="reached"[^}]*\} 1/,
    );
  });
});
