import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { waitFor } from '@ledger/testing';
import { compareWithStore } from './support/delivery-checks';
import { RelayWorld } from './support/relay-world';
import { SteadyLoad } from './support/steady-load';
import type { TopicReader } from './support/topic-reader';

/** Starts a relay process on the world's database and topics; resolves once it has started. */
async function relayProcess(world: RelayWorld, env: Record<string, string>): Promise<ChildProcess> {
  const config = world.config(env);
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'support/relay-process.ts')], {
    env: {
      ...process.env,
      DATABASE_URL: config.DATABASE_URL,
      KAFKA_BROKERS: config.KAFKA_BROKERS.join(','),
      SCHEMA_REGISTRY_URL: config.SCHEMA_REGISTRY_URL,
      LOG_LEVEL: process.env.RELAY_TEST_LOG_LEVEL ?? 'silent',
      RELAY_PROVISION_TOPICS: 'false',
      RELAY_TEST_TOPIC_PREFIX: world.prefix,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(() => output.includes('relay started') || child.exitCode !== null, {
    what: 'the relay process to start',
    timeoutMs: 60_000,
  });
  if (child.exitCode !== null) throw new Error(`the relay process exited with ${child.exitCode}`);
  return child;
}

async function sigkill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('event relay: exactly once on Kafka, as a read_committed consumer sees it', () => {
  let world: RelayWorld;
  let load: SteadyLoad;
  let reader: TopicReader;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    world = await RelayWorld.create();
    reader = await world.reader();
  });

  afterAll(async () => {
    await load?.stop();
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await world?.close();
  });

  it('publishes every event once when relays are SIGKILLed mid-batch and a standby takes over', async () => {
    const accounts = Array.from({ length: 8 }, () => randomUUID());
    await Promise.all(accounts.map((id) => world.load.openAccount(id)));
    load = new SteadyLoad(world.load, accounts, 60);
    // Small batches under a steady load: a relay spends most of its time inside a transaction.
    const env = { RELAY_BATCH_SIZE: '10', RELAY_POLL_INTERVAL_MS: '50' };

    for (let kill = 1; kill <= 3; kill++) {
      const child = await relayProcess(world, { ...env, RELAY_TEST_INSTANCE_ID: `killed-${kill}` });
      children.push(child);
      const before = reader.records.length;
      await waitFor(() => reader.records.length >= before + 30, {
        what: `relay process ${kill} publishing`,
        timeoutMs: 60_000,
      });
      await sigkill(child);
    }
    // The standby takes over from whatever the last process left: an open transaction, or a committed one
    // whose Postgres checkpoint was not written yet.
    const standby = await world.startRelay(env);
    await waitFor(() => standby.relay.isLeader, { what: 'the standby to lead', timeoutMs: 30_000 });
    await load.stop();
    const stored = await world.storedEvents();
    await waitFor(() => reader.eventIds().size >= stored.length, {
      what: `${stored.length} events on Kafka`,
      timeoutMs: 60_000,
    });
    await waitFor(
      async () =>
        (await world.store.loadCheckpoint('outbox-relay'))?.globalPosition ===
        Math.max(...stored.map((e) => e.globalPosition)),
      {
        what: 'the Postgres checkpoint at the end of the log',
        timeoutMs: 30_000,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));

    const report = compareWithStore(reader, stored);
    console.info(
      `exactly once: ${report.stored} events, ${report.records} records, ${report.duplicates} duplicates after 3 SIGKILLs`,
    );
    expect(report).toEqual({
      stored: stored.length,
      records: stored.length,
      duplicates: 0,
      keysOutOfOrder: [],
      missing: [],
      unexpected: [],
    });
  });
});
