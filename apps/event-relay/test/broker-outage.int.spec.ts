import { randomUUID } from 'node:crypto';
import { runHealthChecks, type HealthReport } from '@ledger/observability';
import { waitFor } from '@ledger/testing';
import { capturedLogs } from './support/captured-logs';
import { compareWithStore, untilOnKafka } from './support/delivery-checks';
import { startKafka, stopKafka } from './support/kafka-outage';
import { metricValue } from './support/metrics';
import { RelayWorld } from './support/relay-world';
import { SteadyLoad } from './support/steady-load';

// From the stop command to the restart command. The broker then needs 20-40 s on a busy machine to serve
// again, so the whole outage lasts about half a minute.
const OUTAGE_MS = 8_000;
const SESSION_FAILED = 'relay session failed; resuming from the checkpoint Kafka committed';

// Stops the stack's broker once, for about 30 s; every other user of the stack sees that outage (run it
// on a stack of your own when others share yours).
describe('event relay during a broker outage', () => {
  let world: RelayWorld;
  let kafkaStopped = false;

  beforeAll(async () => {
    world = await RelayWorld.create();
  });

  afterAll(async () => {
    if (kafkaStopped) await startKafka();
    await world?.close();
  });

  it('keeps appends flowing into Postgres, retries from the committed checkpoint, and publishes everything once, in order, when the broker is back', async () => {
    // Debug: each committed batch's positions and event ids, for the diagnosis below.
    const logs = capturedLogs('debug');
    const relay = await world.startRelay({ RELAY_BATCH_SIZE: '100' }, { logger: logs.logger });
    const accounts = Array.from({ length: 10 }, () => randomUUID());
    await Promise.all(accounts.map((id) => world.load.openAccount(id)));
    const load = new SteadyLoad(world.load, accounts, 40);
    let storedAtOutage = 0;
    let lagSecondsAtEndOfOutage = 0;
    let stoppedAt = 0;
    let readinessDuringOutage: HealthReport | undefined;
    try {
      await waitFor(async () => (await metricValue(relay, 'ledger_relay_events_published_total')) >= 50, {
        what: 'relay publishing',
      }).catch((error: unknown) => {
        // Once in CI the relay published nothing here, before any fault: show what it said.
        const said = logs.lines.filter((line) => Number(line.level) >= 40).slice(-30);
        console.error(
          `the relay did not publish; its last warnings:\n${said.map((line) => JSON.stringify(line)).join('\n')}`,
        );
        throw error;
      });

      kafkaStopped = true;
      stoppedAt = Date.now();
      await stopKafka();
      storedAtOutage = (await world.storedEvents()).length;
      readinessDuringOutage = await runHealthChecks(relay.healthChecks);
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - stoppedAt)));
      lagSecondsAtEndOfOutage = await metricValue(relay, 'ledger_relay_lag_seconds');
    } finally {
      if (kafkaStopped) await startKafka();
      kafkaStopped = false;
    }
    const backAt = Date.now();
    // Whatever fails from here on, the relay's sessions ("relay leading": where each resumed from, Kafka's
    // checkpoint and Postgres' copy) and its warnings are what the diagnosis needs.
    const nearFault = (time: number) =>
      (time >= stoppedAt - 3_000 && time <= stoppedAt + 3_000) || (time >= backAt && time <= backAt + 10_000);
    const sessions = () =>
      logs.lines
        .filter(
          (line) =>
            line.msg === 'relay leading' ||
            line.msg === 'relay transaction failed' ||
            Number(line.level) >= 40 ||
            (line.msg === 'relay batch committed' && nearFault(Number(line.time))),
        )
        .map((line) => JSON.stringify(line))
        .join('\n');
    const explained = async <T>(step: Promise<T>): Promise<T> =>
      step.catch((error: unknown) => {
        console.error(`relay sessions and warnings:\n${sessions()}`);
        throw error;
      });
    // Caught up: every event appended until the broker was back is on Kafka (read_committed). The load goes
    // on, so the relay's lag stays at about one batch (what arrives during a transaction) rather than 0.
    const reader = await world.reader();
    const storedWhenBack = await world.storedEvents();
    await explained(
      untilOnKafka(
        reader,
        storedWhenBack,
        'every event appended until the broker was back on Kafka',
        150_000,
      ),
    );
    const caughtUpAfterMs = Date.now() - backAt;
    const readinessAfterwards = await explained(
      waitFor(
        async () => {
          const report = await runHealthChecks(relay.healthChecks);
          return report.status === 'ok' && report;
        },
        { what: 'ready again' },
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await load.stop();
    const stored = await world.storedEvents();
    await explained(
      waitFor(() => reader.eventIds().size >= stored.length, {
        what: `${stored.length} events on Kafka`,
        timeoutMs: 90_000,
      }),
    );
    await explained(
      waitFor(async () => (await metricValue(relay, 'ledger_relay_lag_events')) === 0, {
        what: 'lag back to 0',
      }),
    );

    const report = compareWithStore(reader, stored);
    console.info(
      `broker outage: ${((backAt - stoppedAt) / 1_000).toFixed(1)} s from stop to broker ready, relay caught up ${caughtUpAfterMs} ms later; ` +
        `${load.succeeded} commands, ${stored.length - storedAtOutage} events appended during and after the outage, ` +
        `${logs.messages(SESSION_FAILED)} failed relay sessions, ` +
        `lag ${lagSecondsAtEndOfOutage.toFixed(1)} s at the end of the outage, ${report.records} records, ${report.duplicates} duplicates (${reader.redeliveries} records handed to the reader again)`,
    );
    if (report.duplicates > 0) {
      // What the next diagnosis needs: where each copy sits, and where every relay session resumed from
      // (Kafka's checkpoint and Postgres' copy, "relay leading") and why sessions failed.
      const copies = new Map<string, string[]>();
      for (const record of reader.records) {
        const id = record.headers['event-id'];
        const { firstOffset, producerId, producerEpoch, firstSequence, inTransaction } = record.batch;
        const batch = `batch@${firstOffset} pid ${producerId} epoch ${producerEpoch} seq ${firstSequence}${inTransaction ? ' txn' : ''}`;
        copies.set(id, [
          ...(copies.get(id) ?? []),
          `${record.topic}/${record.partition}@${record.offset} (${batch})`,
        ]);
      }
      // With each event's position in the store: at or before the checkpoint the next session resumed
      // from, a committed transaction carried it twice; after it, the session sent it again.
      const positions = new Map(stored.map((event) => [event.eventId, event.globalPosition]));
      const duplicated = [...copies]
        .filter(([, at]) => at.length > 1)
        .map(([id, at]) => ({ id, globalPosition: positions.get(id), at }));
      console.warn(
        `duplicated events: ${JSON.stringify(duplicated)}\nrelay sessions and warnings:\n${sessions()}`,
      );
    }
    expect(load.failures).toEqual([]);
    expect(readinessDuringOutage?.checks).toMatchObject({
      kafka: { status: 'down' },
      postgres: { status: 'up' },
    });
    expect(readinessAfterwards.checks.kafka.status).toBe('up');
    expect(stored.length - storedAtOutage).toBeGreaterThan(OUTAGE_MS / 100);
    expect(logs.messages(SESSION_FAILED)).toBeGreaterThan(0);
    expect(lagSecondsAtEndOfOutage).toBeGreaterThan(OUTAGE_MS / 2_000);
    expect(report).toMatchObject({ duplicates: 0, missing: [], unexpected: [], keysOutOfOrder: [] });
    expect(reader.records).toHaveLength(stored.length);
  }, 300_000);
});
