import type { INestApplication } from '@nestjs/common';
import { freePort, waitFor } from '@ledger/testing';
import request from 'supertest';
import { runHealthChecks } from '@ledger/observability';
import { startEventRelay } from '../src/event-relay';
import { createRelayApp } from '../src/relay-app';
import { RelayWorld } from './support/relay-world';

describe('event relay app', () => {
  let world: RelayWorld;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    world = await RelayWorld.create();
    // Composed and served as main.ts does, on a port of its own.
    const config = world.config({ RELAY_PROVISION_TOPICS: 'true', OPS_PORT: String(await freePort()) });
    app = await createRelayApp(config, {
      topicFor: world.topicFor,
      instanceId: 'relay-app-test',
      host: '127.0.0.1',
    });
  });

  afterAll(async () => {
    await app?.close();
    await world?.close();
  });

  it('is live, and ready when Postgres, Kafka and the registry answer', async () => {
    await request(app?.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
    const ready = await request(app?.getHttpServer()).get('/health/ready').expect(200);

    expect(ready.body.checks).toEqual({
      postgres: expect.objectContaining({ status: 'up' }),
      kafka: expect.objectContaining({ status: 'up' }),
      'schema-registry': expect.objectContaining({ status: 'up' }),
    });
  });

  it('relays appended events and exposes its metrics', async () => {
    const accountId = (await world.load.openAccount()).streamId.replace('account-', '');
    await world.load.deposit(accountId, 2_500);

    const metrics = await waitFor(
      async () => {
        const { text } = await request(app?.getHttpServer()).get('/metrics').expect(200);
        return (
          /ledger_relay_events_published_total\{topic="[^"]+",service="event-relay"\} 2/.test(text) && text
        );
      },
      { what: 'two published events in /metrics' },
    );
    expect(metrics).toMatch(/ledger_relay_leader\{service="event-relay"\} 1/);
    expect(metrics).toMatch(/ledger_relay_lag_events\{service="event-relay"\} \d+/);
    expect(metrics).toMatch(/ledger_relay_lag_seconds\{service="event-relay"\} [\d.]+/);
  });

  it('comes up without a reachable broker, reports itself not ready and stops cleanly', async () => {
    const unreachable = await startEventRelay(world.config({ KAFKA_BROKERS: '127.0.0.1:1' }), {
      topicFor: world.topicFor,
    });

    const report = await runHealthChecks(unreachable.healthChecks);
    await unreachable.stop();

    expect(report.status).toBe('error');
    expect(report.checks).toMatchObject({
      kafka: { status: 'down' },
      postgres: { status: 'up' },
      'schema-registry': { status: 'up' },
    });
  });

  it('on shutdown, checkpoints what it published and releases the leader lock', async () => {
    await app?.close();
    app = undefined;

    // Scoped to this test's database (pg_locks is server-wide); a session that ends without unlocking
    // releases its locks only once the server has reaped it, so the check waits a bounded time.
    await waitFor(
      async () => {
        const { rows } = await world.sql.query(
          `select 1 from pg_locks l join pg_stat_activity a using (pid)
            where l.locktype = 'advisory' and a.datname = current_database() and a.application_name like 'ledger-relay-lock:%'`,
        );
        return rows.length === 0;
      },
      { timeoutMs: 10_000, what: 'the leader lock to be released' },
    );
    const { rows: checkpoints } = await world.sql.query(
      `select global_position::int from checkpoints where name = 'outbox-relay'`,
    );
    expect(checkpoints).toEqual([{ global_position: 2 }]);
  });
});
