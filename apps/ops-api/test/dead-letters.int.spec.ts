import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { AvroEventCodec, createKafka } from '@ledger/messaging';
import { ensureProjectionSchema, retryTopic } from '@ledger/projections';
import { registerSchemas } from '@ledger/schemas';
import {
  createTestDatabase,
  kafkaBrokers,
  schemaRegistryUrl,
  step,
  TestDatabase,
  testAuthEnv,
  testToken,
  waitFor,
} from '@ledger/testing';
import type { Admin, Consumer } from 'kafkajs';
import { Pool } from 'pg';
import request from 'supertest';
import { loadOpsApiConfig } from '../src/config';
import { createOpsApp } from '../src/ops-app';

// The ops API as its own least-privileged role against a real database, Kafka and registry: dead letters
// seeded the way the projection runtime leaves them, then listed, shown, redriven and discarded.
describe('ops API: dead letters', () => {
  const projection = `ops-test.${randomBytes(4).toString('hex')}.accounts`;
  const topic = `${projection}.source`;
  let database: TestDatabase;
  let sql: Pool;
  let app: INestApplication;
  let http: ReturnType<typeof request.agent>;
  let admin: Admin;
  let consumer: Consumer;
  const retried: Array<{ key: string | null; headers: Record<string, string> }> = [];
  const codec = AvroEventCodec.forRegistry(schemaRegistryUrl());
  let offset = 0;

  // Each step named: this set-up once hung in CI past the hook's two minutes without saying where.
  beforeAll(async () => {
    const registryUrl = schemaRegistryUrl();
    await step('register the schemas', registerSchemas({ url: registryUrl }));
    database = await step('create the test database', createTestDatabase('ops'));
    sql = new Pool({ connectionString: database.url, max: 2 });
    await step('create the projection schema', ensureProjectionSchema(sql));
    const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'ops-api-test' });
    admin = kafka.admin();
    await step('connect the Kafka admin', admin.connect());
    await step(
      'create the retry topic',
      admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: retryTopic(projection, 1), numPartitions: 1 }],
      }),
    );
    consumer = kafka.consumer({ groupId: `${projection}.test-reader`, readUncommitted: false });
    await step('connect the consumer', consumer.connect());
    await step(
      'subscribe the consumer',
      consumer.subscribe({ topic: retryTopic(projection, 1), fromBeginning: true }),
    );
    await step(
      'run the consumer',
      consumer.run({
        eachMessage: async ({ message }) => {
          const headers = Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
          );
          retried.push({ key: message.key?.toString() ?? null, headers });
        },
      }),
    );
    process.env.LOG_LEVEL ??= 'silent';
    const config = loadOpsApiConfig({
      ...process.env,
      DATABASE_URL: database.urlAs('ops_api'),
      ...testAuthEnv(),
    });
    app = await step('create the ops app', createOpsApp(config));
    await step('start the ops app', app.init());
    http = request.agent(app.getHttpServer()).set('Authorization', `Bearer ${await testToken()}`);
  });

  afterAll(async () => {
    await app?.close();
    await consumer?.disconnect();
    await admin?.deleteTopics({ topics: [retryTopic(projection, 1)] }).catch(() => undefined);
    await admin?.disconnect();
    await sql?.end();
    await database?.drop();
  });

  /** A stream parked on a dead-lettered deposit, with `behind` more events waiting, as the runtime leaves it. */
  async function deadLettered(behind = 0): Promise<{ streamId: string; accountId: string }> {
    const accountId = randomUUID();
    const streamId = `account-${accountId}`;
    const value = await codec.encode('ledger.accounts.MoneyDeposited', 1, {
      accountId,
      amount: 777,
      currency: 'EUR',
      reference: null,
      depositedAt: '2026-01-05T09:14:00.000Z',
    });
    const seqs: string[] = [];
    for (let i = 0; i <= behind; i++) {
      const { rows } = await sql.query<{ seq: string }>(
        `insert into projection_parked_events (projection, stream_id, stream_version, source_topic, source_partition, source_offset,
           record_key, record_value, record_headers, record_timestamp)
         values ($1, $2, $3, $4, 0, $5, $2, $6, $7, '0') returning seq`,
        [
          projection,
          streamId,
          2 + i,
          topic,
          offset++,
          value,
          { 'event-type': 'ledger.accounts.MoneyDeposited', 'event-id': randomUUID() },
        ],
      );
      seqs.push(rows[0]!.seq);
    }
    await sql.query(
      `insert into projection_parked_keys (projection, stream_id, head_seq, stage, retry_level, token, published, not_before,
         attempts, first_failed_at, error_class, error_message)
       values ($1, $2, $3, 'dead-letter', 0, nextval('projection_park_tokens'), true, now(), 3, now(), 'QueryFailedError', 'violates check constraint refuse_777')`,
      [projection, streamId, seqs[0]],
    );
    await sql.query(
      `insert into projection_dead_letters (projection, stream_id, stream_version, event_id, event_type, source_topic,
         source_partition, source_offset, attempts, first_failed_at, error_class, error_message, record_key, record_value,
         record_headers, record_timestamp)
       select projection, stream_id, stream_version, record_headers->>'event-id', record_headers->>'event-type', source_topic,
              source_partition, source_offset, 3, now(), 'QueryFailedError', 'violates check constraint refuse_777', record_key,
              record_value, record_headers, record_timestamp
         from projection_parked_events where seq = $1`,
      [seqs[0]],
    );
    return { streamId, accountId };
  }

  it('lists dead letters with their failure headers and shows one with its event decoded from Avro', async () => {
    const { streamId, accountId } = await deadLettered(1);
    const list = await http
      .get('/operations/dead-letters')
      .query({ projection, stream: streamId })
      .expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        streamId,
        streamVersion: 2,
        eventType: 'ledger.accounts.MoneyDeposited',
        source: { topic, partition: 0, offset: expect.any(String) },
        attempts: 3,
        errorClass: 'QueryFailedError',
        errorMessage: expect.stringContaining('refuse_777'),
        status: 'dead',
        parkedBehind: 1,
      }),
    ]);
    const shown = await http
      .get(`/operations/dead-letters/${list.body.items[0].id}`)
      .query({ projection })
      .expect(200);
    expect(shown.body.event).toEqual({
      type: 'ledger.accounts.MoneyDeposited',
      version: expect.any(Number),
      data: expect.objectContaining({ accountId, amount: 777, currency: 'EUR' }),
    });
    expect(shown.body.headers).toMatchObject({ 'event-type': 'ledger.accounts.MoneyDeposited' });
  });

  it('redrives one stream: its head goes to the first retry topic and the dead letter is marked redriven', async () => {
    const { streamId } = await deadLettered();
    const response = await http
      .post('/operations/dead-letters/redrive')
      .send({ projection, streamId })
      .expect(200);
    expect(response.body).toEqual({ streams: [streamId] });
    await waitFor(() => retried.some((record) => record.key === streamId), {
      what: 'the redriven head on the retry topic',
    });
    const { rows } = await sql.query(
      'select stage, retry_level, published from projection_parked_keys where projection = $1 and stream_id = $2',
      [projection, streamId],
    );
    expect(rows).toEqual([{ stage: 'retry', retry_level: 1, published: true }]);
    const all = await http
      .get('/operations/dead-letters')
      .query({ projection, stream: streamId, status: 'all' })
      .expect(200);
    expect(all.body.items.map((item: { status: string }) => item.status)).toEqual(['redriven']);
  });

  it('discards one stream: the head is dropped and a stream with nothing behind it is released', async () => {
    const { streamId } = await deadLettered();
    const response = await http
      .post('/operations/dead-letters/discard')
      .send({ projection, streamId })
      .expect(200);
    expect(response.body).toEqual({ streams: [streamId], released: [streamId] });
    const { rows } = await sql.query(
      'select 1 from projection_parked_keys where projection = $1 and stream_id = $2',
      [projection, streamId],
    );
    expect(rows).toEqual([]);
    await http.post('/operations/dead-letters/discard').send({ projection, streamId }).expect(404);
  });

  it('refuses bad input with a problem and changes nothing', async () => {
    const { streamId } = await deadLettered();
    const problems = [
      await http.get('/operations/dead-letters').expect(400),
      await http.get('/operations/dead-letters').query({ projection: 'no spaces please' }).expect(400),
      await http.get('/operations/dead-letters').query({ projection, limit: 0 }).expect(400),
      await http.get('/operations/dead-letters/abc').query({ projection }).expect(400),
      await http.get('/operations/dead-letters/999999999').query({ projection }).expect(404),
      await http.post('/operations/dead-letters/redrive').send({ projection }).expect(400),
      await http
        .post('/operations/dead-letters/redrive')
        .send({ projection, streamId, all: true })
        .expect(400),
      await http.post('/operations/dead-letters/redrive').send({ projection, all: false }).expect(400),
      await http
        .post('/operations/dead-letters/redrive')
        .send({ projection, streamId: 'account-unknown' })
        .expect(404),
    ];
    for (const problem of problems)
      expect(problem.headers['content-type']).toMatch(/^application\/problem\+json/);
    const { rows } = await sql.query('select status from projection_dead_letters where stream_id = $1', [
      streamId,
    ]);
    expect(rows).toEqual([{ status: 'dead' }]);
  });

  it('is for admins only: no token 401, a teller 403', async () => {
    const { streamId } = await deadLettered();
    await request(app.getHttpServer()).get('/operations/dead-letters').query({ projection }).expect(401);
    const teller = `Bearer ${await testToken('teller-1', 'teller')}`;
    await request(app.getHttpServer())
      .get('/operations/dead-letters')
      .query({ projection })
      .set('Authorization', teller)
      .expect(403);
    await request(app.getHttpServer())
      .post('/operations/dead-letters/redrive')
      .set('Authorization', teller)
      .send({ projection, streamId })
      .expect(403);
    const { rows } = await sql.query('select status from projection_dead_letters where stream_id = $1', [
      streamId,
    ]);
    expect(rows).toEqual([{ status: 'dead' }]);
  });

  it('serves the console page with a CSP that lets it reach only itself and the two APIs', async () => {
    const settings = await request(app.getHttpServer()).get('/console/settings.json').expect(200);
    expect(settings.body).toEqual({
      queryApiUrl: 'http://127.0.0.1:3001',
      commandApiUrl: 'http://127.0.0.1:3000',
      pollIntervalMs: 2000,
    });
    const page = await request(app.getHttpServer()).get('/console/').expect(200);
    expect(page.text).toContain('<div id="app">');
    expect(page.headers['content-security-policy']).toContain(
      "connect-src 'self' http://127.0.0.1:3001 http://127.0.0.1:3000",
    );
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });
});
