import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { waitFor } from '@ledger/testing';
import { compareWithStore, untilOnKafka } from './support/delivery-checks';
import { clusterSize, killBroker, startBroker } from './support/kafka-cluster';
import { metricValue } from './support/metrics';
import { RelayWorld } from './support/relay-world';
import type { EventRelay } from '../src/event-relay';
import { SteadyLoad } from './support/steady-load';

// Runs on the three-node cluster of `npm run test:cluster` (topics with three replicas, min.insync.replicas=2,
// acks=all, idempotent producer). Nodes are killed with SIGKILL, as a crash would stop them.
// A killed node is fenced by the controllers after broker.session.timeout.ms (9 s by default) and only then
// leaves the in-sync replica sets and loses its leaderships; the fault lasts long enough to see what follows.
const FAULT_MS = 25_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Each drill's relay log (kafkajs included) goes to the cluster stack's log folder, to read after a failure;
// CLUSTER_DRILL_LOG_LEVEL=debug shows every request and retry.
function drillLogger(victims: number[]) {
  const folder = join(process.env.STACK_DIR ?? '.stack-cluster', 'logs');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `drill-kill-${victims.join('-')}.relay.log`);
  console.info(`relay log: ${file}`);
  return pino(
    { level: process.env.CLUSTER_DRILL_LOG_LEVEL ?? 'info' },
    pino.destination({ dest: file, sync: true, append: false }),
  );
}

describe('event relay on a three-node Kafka cluster', () => {
  let world: RelayWorld;
  const killed = new Set<number>();
  // Each drill's relay is stopped after it, whatever happened: it holds the leader lock the next one needs.
  let relay: EventRelay | undefined;

  beforeAll(async () => {
    if (clusterSize() !== 3)
      throw new Error('these tests need the three-node stack: run them with `npm run test:cluster`');
    world = await RelayWorld.create();
  });

  afterEach(async () => {
    for (const node of killed) await startBroker(node);
    killed.clear();
    await relay?.stop();
    relay = undefined;
  });

  afterAll(async () => {
    await world?.close();
  });

  async function drill(victims: number[]) {
    relay = await world.startRelay({ RELAY_BATCH_SIZE: '100' }, { logger: drillLogger(victims) });
    const running = relay;
    const accounts = Array.from({ length: 10 }, () => randomUUID());
    await Promise.all(accounts.map((id) => world.load.openAccount(id)));
    const load = new SteadyLoad(world.load, accounts, 40);
    const published = () => metricValue(running, 'ledger_relay_events_published_total');
    await waitFor(async () => (await published()) >= 50, { what: 'relay publishing' });

    const killedAt = Date.now();
    for (const node of victims) {
      killed.add(node);
      await killBroker(node);
    }
    const storedAtFault = (await world.storedEvents()).length;
    const publishedAtFault = await published();
    let resumedAfterMs: number | undefined;
    while (Date.now() - killedAt < FAULT_MS) {
      await pause(250);
      if (resumedAfterMs === undefined && (await published()) > publishedAtFault)
        resumedAfterMs = Date.now() - killedAt;
    }
    const publishedDuringFault = (await published()) - publishedAtFault;
    const storedAtEndOfFault = (await world.storedEvents()).length;
    for (const node of victims) await startBroker(node);
    killed.clear();
    const restartedAt = Date.now();

    // Caught up: every event appended before the restart is on Kafka (read_committed). The load goes on, so
    // the relay's lag stays at about one batch (what arrives during a transaction) rather than reaching 0.
    const reader = await world.reader();
    const storedAtRestart = await world.storedEvents();
    await untilOnKafka(reader, storedAtRestart, 'every event appended before the restart on Kafka', 90_000);
    const caughtUpMs = Date.now() - restartedAt;
    await load.stop();
    const stored = await world.storedEvents();
    await waitFor(
      () => {
        if (reader.eventIds().size >= stored.length) return true;
        throw new Error(`${reader.eventIds().size} read so far`);
      },
      { what: `${stored.length} events on Kafka`, timeoutMs: 90_000 },
    );
    const report = compareWithStore(reader, stored);
    console.info(
      `kill ${victims.map((n) => `kafka-${n}`).join(' + ')}: ${load.succeeded} commands, ` +
        `${storedAtEndOfFault - storedAtFault} events appended during ${FAULT_MS / 1000} s of fault, ` +
        `${publishedDuringFault} published during the fault (resumed ${resumedAfterMs === undefined ? 'only after the restart' : `${resumedAfterMs} ms after the kill`}), ` +
        `relay caught up ${caughtUpMs} ms after restart (${((Date.now() - killedAt) / 1000).toFixed(1)} s since the kill); ` +
        `${report.records} records, ${report.missing.length} lost, ${report.duplicates} duplicated`,
    );
    expect(load.failures).toEqual([]);
    expect(storedAtEndOfFault - storedAtFault).toBeGreaterThan(FAULT_MS / 100);
    expect(report).toMatchObject({ missing: [], unexpected: [], keysOutOfOrder: [] });
    return { publishedDuringFault, resumedAfterMs, duplicates: report.duplicates };
  }

  it('loses one node under load: appends and publication go on, nothing lost, nothing duplicated', async () => {
    const { publishedDuringFault, resumedAfterMs, duplicates } = await drill([2]);
    expect(duplicates).toBe(0);
    // Two in-sync replicas remain: once the dead node is fenced, the relay publishes again while it is still down.
    expect(resumedAfterMs).toBeLessThan(FAULT_MS);
    expect(publishedDuringFault).toBeGreaterThan(0);
  }, 300_000);

  it('loses two nodes under load: appends go on into Postgres, publication pauses, then catches up', async () => {
    const { publishedDuringFault, duplicates } = await drill([2, 3]);
    // One replica left is below min.insync.replicas=2: acks=all cannot be satisfied, so nothing is published.
    expect(publishedDuringFault).toBe(0);
    // A batch the leader appended but could not replicate belongs to a transaction that never committed:
    // the next session aborts it and resends from Kafka's checkpoint, so a read_committed reader sees each
    // event once.
    expect(duplicates).toBe(0);
  }, 300_000);
});
