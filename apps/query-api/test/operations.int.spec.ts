import { createKafka } from '@ledger/messaging';
import { CONSUMER_GROUP_COMMAND, kafkaBrokers, kafkaTool } from '@ledger/testing';
import type { Admin } from 'kafkajs';
import { QueryApp, startQueryApp } from './query-app';

describe('query API: projections, docs, health and metrics', () => {
  let api: QueryApp;
  let admin: Admin;
  beforeAll(async () => {
    api = await startQueryApp();
    admin = createKafka({ brokers: kafkaBrokers(), clientId: 'operations-test' }).admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.disconnect();
    await api?.close();
  });

  /** What a projector that processed up to `offsets` (last offset per partition) leaves behind. */
  async function processed(name: string, topic: string, offsets: Array<[number, number, number]>) {
    for (const [partition, offset, globalPosition] of offsets) {
      await api.seed.progress(name, topic, partition, offset, globalPosition);
    }
    await admin.setOffsets({
      groupId: name,
      topic,
      partitions: offsets.map(([partition, offset]) => ({ partition, offset: String(offset + 1) })),
    });
  }

  const projection = async (name: string) => {
    const response = await api.http.get('/projections').expect(200);
    return response.body.projections.find((p: { name: string }) => p.name === name);
  };

  it('reports each projection per partition against the log end, with lag in events and seconds', async () => {
    const { name, topics } = api.feeds.accounts;
    const topic = topics[0]!;
    await api.produce(topic, 0, 5);
    await api.produce(topic, 1, 2);
    await processed(name, topic, [
      [0, 2, 17],
      [1, 1, 9],
    ]);

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
        committedOffset: 3,
        appliedOffset: 2,
        logEndOffset: 5,
        lagEvents: 2,
        rereadEvents: 0,
        globalPosition: 17,
        lastAppliedRecordedAt: expect.any(String),
        lagSeconds: expect.any(Number),
      },
      {
        topic,
        partition: 1,
        committedOffset: 2,
        appliedOffset: 1,
        logEndOffset: 2,
        lagEvents: 0,
        rereadEvents: 0,
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

  it("counts what the group will read again after a reset to earliest with Kafka's own tool", async () => {
    const { name, topics } = api.feeds.transfers;
    const topic = topics[0]!;
    await api.produce(topic, 0, 4);
    await api.produce(topic, 1, 3);
    await processed(name, topic, [
      [0, 3, 30],
      [1, 2, 31],
    ]);
    expect(await projection(name)).toMatchObject({ status: 'caught-up', lagEvents: 0 });

    // The projector is stopped (the group has no members), as Kafka requires for a reset.
    const output = await kafkaTool(CONSUMER_GROUP_COMMAND, [
      '--bootstrap-server',
      kafkaBrokers().join(','),
      '--group',
      name,
      '--topic',
      topic,
      '--reset-offsets',
      '--to-earliest',
      '--execute',
    ]);
    expect(output).toContain(topic);

    const report = await projection(name);
    expect(report).toMatchObject({ status: 'catching-up', lagEvents: 7 });
    expect(report.partitions).toEqual([
      expect.objectContaining({
        partition: 0,
        committedOffset: 0,
        appliedOffset: 3,
        lagEvents: 4,
        rereadEvents: 4,
        lagSeconds: 0,
      }),
      expect.objectContaining({
        partition: 1,
        committedOffset: 0,
        appliedOffset: 2,
        lagEvents: 3,
        rereadEvents: 3,
        lagSeconds: 0,
      }),
    ]);
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
        'query:asOf',
        'query:cursor',
        'query:from',
        'query:knownAt',
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
