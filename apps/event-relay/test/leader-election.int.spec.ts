import { randomUUID } from 'node:crypto';
import { waitFor } from '@ledger/testing';
import type { EventRelay } from '../src/event-relay';
import { compareWithStore } from './support/delivery-checks';
import { metricValue } from './support/metrics';
import { RelayWorld } from './support/relay-world';
import { SteadyLoad } from './support/steady-load';

const published = (relay: EventRelay) => metricValue(relay, 'ledger_relay_events_published_total');

describe('event relay leader election', () => {
  let world: RelayWorld;
  let load: SteadyLoad;
  let first: EventRelay;
  let second: EventRelay;

  beforeAll(async () => {
    world = await RelayWorld.create();
    const accounts = Array.from({ length: 8 }, () => randomUUID());
    await Promise.all(accounts.map((id) => world.load.openAccount(id)));
    load = new SteadyLoad(world.load, accounts, 50);
    first = await world.startRelay({}, { instanceId: `relay-a-${randomUUID().slice(0, 6)}` });
    second = await world.startRelay({}, { instanceId: `relay-b-${randomUUID().slice(0, 6)}` });
  });

  afterAll(async () => {
    await load?.stop();
    await world?.close();
  });

  it('lets exactly one instance publish', async () => {
    await waitFor(async () => (await published(first)) + (await published(second)) >= 50, {
      what: 'publishing',
    });

    const [leader, standby] = first.relay.isLeader ? [first, second] : [second, first];
    expect([first.relay.isLeader, second.relay.isLeader].filter(Boolean)).toHaveLength(1);
    expect(await metricValue(leader, 'ledger_relay_leader')).toBe(1);
    expect(await metricValue(standby, 'ledger_relay_leader')).toBe(0);
    expect(await published(standby)).toBe(0);
  });

  it('hands over within seconds when the leader loses its lock connection; the old leader stops publishing', async () => {
    const [leader, standby] = first.relay.isLeader ? [first, second] : [second, first];

    const killed = Date.now();
    await world.sql.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1`,
      [`ledger-relay-lock:${leader.instanceId}`],
    );
    await waitFor(() => standby.relay.isLeader, {
      what: 'the standby to lead',
      timeoutMs: 10_000,
      intervalMs: 10,
    });
    const handover = Date.now() - killed;
    // Once the new leader committed a batch, its producer has fenced the old one's transactional id.
    await waitFor(async () => (await published(standby)) >= 1, { what: 'the new leader committing' });
    const publishedByOldLeader = await published(leader);
    await waitFor(async () => (await published(standby)) >= 50, { what: 'the new leader publishing' });

    console.info(`leader election: handover ${handover} ms after the lock connection was killed`);
    expect(handover).toBeLessThan(5_000);
    expect(leader.relay.isLeader).toBe(false);
    expect(await published(leader)).toBe(publishedByOldLeader);
  });

  it('hands back when the current leader shuts down, and loses or repeats no event across both handovers', async () => {
    const [leader, standby] = first.relay.isLeader ? [first, second] : [second, first];

    await leader.stop();
    await waitFor(() => standby.relay.isLeader, {
      what: 'the other instance to lead again',
      timeoutMs: 5_000,
    });
    await load.stop();
    const stored = await world.storedEvents();
    const reader = await world.reader();
    await waitFor(() => reader.eventIds().size >= stored.length, {
      what: `${stored.length} events on Kafka`,
      timeoutMs: 60_000,
    });

    const report = compareWithStore(reader, stored);
    console.info(
      `leader election: ${report.stored} events, ${report.records} records, ${report.duplicates} duplicates`,
    );
    expect(report).toMatchObject({ duplicates: 0, missing: [], unexpected: [], keysOutOfOrder: [] });
  });
});
