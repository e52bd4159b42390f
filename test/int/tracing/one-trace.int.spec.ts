import 'reflect-metadata';
import { startInMemoryTracing } from '@ledger/observability/tracing';
import { transferSagaReactor } from '@ledger/application';
import { AvroEventCodec } from '@ledger/messaging';
import {
  avroRecordDecoder,
  ensureProjectionSchema,
  ensureProjectionTopics,
  startProjector,
  type ProjectorHandle,
} from '@ledger/projections';
import { accountsProjection, ensureReadModelSchemaIfMissing } from '@ledger/read-models';
import { schemaRegistryUrl, waitFor } from '@ledger/testing';
import type { Admin } from 'kafkajs';
import { Pool } from 'pg';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { randomBytes } from 'node:crypto';
import { CommandApp, startCommandApp } from '../../../apps/command-service/test/command-app';
import { RelayWorld } from '../../../apps/event-relay/test/support/relay-world';

// One trace from an HTTP command to its effects, recorded by the real SDK and instrumentations into memory:
// the command service, the relay, a projector and the transfer saga run in this process against the real
// Postgres, Kafka and registry.
const traceId = () => randomBytes(16).toString('hex');
const traceparent = (trace: string) => `00-${trace}-${randomBytes(8).toString('hex')}-01`;

describe('tracing from an HTTP command through the relay, a projector and the saga', () => {
  const tracing = startInMemoryTracing(require);
  let world: RelayWorld;
  let commands: CommandApp;
  let pool: Pool;
  let admin: Admin;
  const consumers: ProjectorHandle[] = [];

  beforeAll(async () => {
    world = await RelayWorld.create();
    commands = await startCommandApp({}, world.database);
    await world.startRelay();
    pool = new Pool({ connectionString: world.database.url, max: 4 });
    await ensureProjectionSchema(pool);
    await ensureReadModelSchemaIfMissing(pool);
    admin = world.kafka.admin();
    await admin.connect();
    const accountTopics = [world.topicFor('ledger.accounts.MoneyDeposited')];
    const allTopics = [...accountTopics, world.topicFor('ledger.transfers.TransferRequested')];
    // The projection runtime the projector and saga apps run (createConsumerApp wires the same).
    for (const projection of [
      accountsProjection({ name: `${world.prefix}.projector.accounts`, topics: accountTopics }),
      transferSagaReactor(world.store, {
        name: `${world.prefix}.transfer-saga`,
        topics: allTopics,
        maxConflictRetries: 10,
      }),
    ]) {
      await ensureProjectionTopics(admin, projection.name, { retryLevels: 1, partitions: 1 });
      consumers.push(
        await startProjector({
          kafka: world.kafka,
          pool,
          projection,
          decode: avroRecordDecoder(AvroEventCodec.forRegistry(schemaRegistryUrl())),
          retry: { levels: 1, delaysMs: [500], attemptsPerEvent: 1 },
          consumerConfig: { maxWaitTimeInMs: 100 },
          maxBatchSize: 100,
        }),
      );
    }
  });

  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop();
    await admin?.disconnect();
    await pool?.end();
    await commands?.closeApp();
    await world?.close();
    await tracing.shutdown();
  });

  const spans = () => tracing.spans();
  const inTrace = (trace: string) => spans().filter((span) => span.spanContext().traceId === trace);
  const linksTo = (span: ReadableSpan, trace: string) =>
    span.links.some((link) => link.context.traceId === trace);
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
  function ancestors(span: ReadableSpan): ReadableSpan[] {
    const byId = new Map(spans().map((each) => [each.spanContext().spanId, each]));
    const chain: ReadableSpan[] = [];
    for (let parent = byId.get(parentOf(span) ?? ''); parent; parent = byId.get(parentOf(parent) ?? ''))
      chain.push(parent);
    return chain;
  }
  async function storedTraceparent(eventType: string, streamId?: string): Promise<string> {
    const { rows } = await commands.sql.query(
      `select metadata->>'traceparent' as traceparent from events where event_type = $1 and ($2::text is null or stream_id = $2)`,
      [eventType, streamId ?? null],
    );
    expect(rows).toHaveLength(1);
    return rows[0].traceparent;
  }

  async function openAccount(): Promise<string> {
    const response = await commands.http
      .post('/accounts')
      .send({ ownerId: 'test-admin', currency: 'EUR' })
      .expect(201);
    return response.body.accountId;
  }

  it('records the request, its append, the publication and the projection of a deposit in one trace', async () => {
    const accountId = await openAccount();
    const trace = traceId();
    const caller = traceparent(trace);
    await commands.http
      .post(`/accounts/${accountId}/deposits`)
      .set('traceparent', caller)
      .send({ amount: 500 })
      .expect(200);

    // The server span continues the caller's trace; the append (one call of append_to_stream) is a pg span below it.
    const server = inTrace(trace).find((span) => span.kind === SpanKind.SERVER);
    expect(server).toBeDefined();
    expect(parentOf(server!)).toBe(caller.split('-')[2]);
    expect(server!.attributes['http.route']).toBe('/accounts/:id/deposits');
    const insert = inTrace(trace).find(
      (span) =>
        span.name.startsWith('pg.query') &&
        /append_to_stream/i.test(String(span.attributes['db.query.text'] ?? span.attributes['db.statement'])),
    );
    expect(insert).toBeDefined();
    expect(ancestors(insert!)).toContain(server);

    // The event records a span of that trace (not the caller's own span) as the context it was appended in.
    const stored = await storedTraceparent('ledger.accounts.MoneyDeposited', `account-${accountId}`);
    expect(stored.split('-')[1]).toBe(trace);
    const writer = inTrace(trace).find((span) => span.spanContext().spanId === stored.split('-')[2]);
    expect(writer).toBeDefined();

    // The relay publishes in a trace of its own, linked to the request; so does the projector's chunk.
    const publish = await waitFor(
      () => spans().find((span) => span.name === 'relay publish' && linksTo(span, trace)),
      { what: 'the relay publish span' },
    );
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(publish.spanContext().traceId).not.toBe(trace);
    expect(publish.links.find((link) => link.context.traceId === trace)?.context.spanId).toBe(
      writer!.spanContext().spanId,
    );
    // The batch's checkpoint is committed in the Kafka transaction; its Postgres copy is written after the
    // commit, off the publish path (ADR 0019), so no database span belongs under the publish span.

    const applied = await waitFor(
      () =>
        spans().find(
          (span) => span.name === `${world.prefix}.projector.accounts process` && linksTo(span, trace),
        ),
      { what: 'the projector chunk span' },
    );
    expect(applied.kind).toBe(SpanKind.CONSUMER);
    expect(applied.attributes['ledger.events.applied']).toBeGreaterThanOrEqual(1);
    expect(
      spans().some((span) => span.name.startsWith('pg.query') && ancestors(span).includes(applied)),
    ).toBe(true);
  });

  it("carries the request's trace into the saga's steps and the events they append", async () => {
    const [from, to] = [await openAccount(), await openAccount()];
    await commands.http.post(`/accounts/${from}/deposits`).send({ amount: 1000 }).expect(200);
    const trace = traceId();
    const response = await commands.http
      .post('/transfers')
      .set('traceparent', traceparent(trace))
      .send({ fromAccountId: from, toAccountId: to, amount: 300 })
      .expect(202);
    const transferId: string = response.body.transferId;

    await waitFor(
      async () =>
        (
          await commands.sql.query(
            `select 1 from events where event_type = 'ledger.transfers.TransferCompleted'`,
          )
        ).rowCount === 1,
      {
        what: 'the transfer to complete',
      },
    );
    // Every step the saga appended carries a span of the request's trace: a saga span, child of the span
    // that appended the event it reacted to.
    for (const [type, stream] of [
      ['ledger.accounts.TransferDebited', `account-${from}`],
      ['ledger.accounts.TransferCredited', `account-${to}`],
      ['ledger.transfers.TransferCompleted', `transfer-${transferId}`],
    ] as const) {
      const stored = await storedTraceparent(type, stream);
      expect(stored.split('-')[1]).toBe(trace);
      const step = inTrace(trace).find((span) => span.spanContext().spanId === stored.split('-')[2]);
      expect(step?.name).toMatch(/^transfer-saga ledger\./);
      expect(step?.kind).toBe(SpanKind.CONSUMER);
      // The step's commands ran inside it: their reads and appends are its pg children.
      expect(
        inTrace(trace).some((span) => span.name.startsWith('pg.') && ancestors(span).includes(step!)),
      ).toBe(true);
    }
    const server = inTrace(trace).find((span) => span.kind === SpanKind.SERVER);
    const first = inTrace(trace).find(
      (span) => span.name === 'transfer-saga ledger.transfers.TransferRequested',
    );
    expect(first && ancestors(first)).toContain(server);
  });
});
