import { randomUUID } from 'node:crypto';
import { waitFor } from '@ledger/testing';
import { createEventRelay } from '../../apps/event-relay/src/event-relay';
import { LedgerLoad } from '../../apps/event-relay/test/support/ledger-load';
import { percentile } from '../lib';
import type { BenchWorld } from './bench-world';
import type { RelayBenchSettings } from './settings';

export interface LatencyRound {
  readonly commands: number;
  /** Command sent to record written by the broker (its LogAppendTime), ms. */
  readonly sentToKafka: { p50: number; p99: number; max: number };
  /** Command answered (appended and committed) to record written by the broker, ms. */
  readonly committedToKafka: { p50: number; p99: number; max: number };
  /** Command sent to answered, ms: the command path's own share. */
  readonly command: { p50: number; p99: number; max: number };
  readonly achievedRate: number;
}

const ACCOUNTS = 200;
const summary = (values: number[]) => ({
  p50: percentile(values, 50),
  p99: percentile(values, 99),
  max: Math.max(...values),
});

/**
 * Open-loop load: command i is sent at start + i / rate whatever happened to the ones before, each to
 * account i mod 200, so no two commands race for one stream at 200/s. A consumer notes the broker's append
 * time of every record.
 */
export async function latencyRound(
  world: BenchWorld,
  settings: RelayBenchSettings,
  round: number,
  progress: (line: string) => void,
): Promise<LatencyRound> {
  const roundStore = await world.roundStore();
  const { topicFor, topics } = await world.topicSet(`latency-${round}`);
  const load = new LedgerLoad(roundStore.store);
  const accounts = Array.from({ length: ACCOUNTS }, () => randomUUID());
  await Promise.all(accounts.map((id) => load.openAccount(id)));
  const eventRelay = await createEventRelay(
    world.relayConfig(roundStore.database.url, { RELAY_BATCH_SIZE: String(settings.batchSize) }),
    { topicFor },
  );
  const appendedAt = new Map<string, number>();
  const consumer = world.kafka.consumer({
    groupId: `bench-relay-reader.${randomUUID()}`,
    maxWaitTimeInMs: 20,
    readUncommitted: false,
  });
  try {
    eventRelay.start();
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        appendedAt.set(String(message.headers?.['event-id']), Number(message.timestamp));
      },
    });
    await waitFor(() => appendedAt.size >= ACCOUNTS, { what: 'accounts opened on Kafka', timeoutMs: 60_000 });

    const total = settings.rate * settings.loadSeconds;
    const sent: Array<{ eventId: string; sentAt: number; answeredAt: number }> = [];
    const started = Date.now();
    const commands: Promise<void>[] = [];
    for (let index = 0; index < total; index++) {
      const due = started + (index * 1_000) / settings.rate;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      const sentAt = Date.now();
      commands.push(
        load.deposit(accounts[index % ACCOUNTS], 100 + index).then(({ eventIds }) => {
          sent.push({ eventId: eventIds[0], sentAt, answeredAt: Date.now() });
        }),
      );
    }
    await Promise.all(commands);
    const achievedRate = total / ((Date.now() - started) / 1_000);
    await waitFor(() => sent.every(({ eventId }) => appendedAt.has(eventId)), {
      what: 'every deposit on Kafka',
      timeoutMs: 120_000,
    });

    const result: LatencyRound = {
      commands: total,
      sentToKafka: summary(sent.map(({ eventId, sentAt }) => (appendedAt.get(eventId) as number) - sentAt)),
      committedToKafka: summary(
        sent.map(({ eventId, answeredAt }) => (appendedAt.get(eventId) as number) - answeredAt),
      ),
      command: summary(sent.map(({ sentAt, answeredAt }) => answeredAt - sentAt)),
      achievedRate,
    };
    progress(
      `latency round ${round}: p50 ${result.sentToKafka.p50.toFixed(0)} ms, p99 ${result.sentToKafka.p99.toFixed(0)} ms at ${achievedRate.toFixed(0)}/s`,
    );
    return result;
  } finally {
    await consumer.disconnect();
    await eventRelay.stop();
    await roundStore.close();
  }
}
