import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { accountStreamId } from '@ledger/domain';
import type { EventStore, RecordedEvent } from '@ledger/event-store';
import {
  AvroEventCodec,
  createRelayProducer,
  RELAY_PRODUCER_CONFIG,
  toTopicMessages,
} from '@ledger/messaging';
import { schemaRegistryUrl, waitFor } from '@ledger/testing';
import type { Message, TopicMessages } from 'kafkajs';
import { createEventRelay } from '../../apps/event-relay/src/event-relay';
import { metricValue } from '../../apps/event-relay/test/support/metrics';
import { collectGarbage } from '../lib';
import type { BenchWorld } from './bench-world';
import type { RelayBenchSettings } from './settings';
import { startCpuMeter, type CpuUse } from '../lib/cpu';

export interface ThroughputRound {
  readonly relayPerSecond: number;
  /** Raw kafkajs produce of the same records with the relay's settings, idempotent, no transaction. */
  readonly rawPerSecond: number;
  /** The same, one transaction per batch (the relay's commit cost without the store and encoding). */
  readonly rawTransactionalPerSecond: number;
  /** Average size of a record: its Avro value alone, and key, value and headers together. */
  readonly recordBytes: { readonly value: number; readonly total: number };
  /** CPU seconds of each timed pass (this process, Postgres, the broker). */
  readonly cpu: { readonly relay: CpuUse; readonly raw: CpuUse; readonly rawTransactional: CpuUse };
}

/** A timed pass: records per second and the CPU seconds it used. */
interface Timed {
  readonly perSecond: number;
  readonly cpu: CpuUse;
}

const STREAMS = 200;
const SEED_WORKERS = 16;

/** One event per append, as commands write them: an account opened, then deposits. */
export async function seed(store: EventStore, events: number): Promise<void> {
  const accounts = Array.from({ length: STREAMS }, () => randomUUID());
  const perAccount = Math.ceil(events / STREAMS);
  const at = new Date().toISOString();
  let remaining = events;
  await Promise.all(
    Array.from({ length: SEED_WORKERS }, async (_, worker) => {
      for (let index = worker; index < accounts.length; index += SEED_WORKERS) {
        const accountId = accounts[index];
        for (let version = 0; version < perAccount && remaining > 0; version++, remaining--) {
          const event =
            version === 0
              ? {
                  type: 'ledger.accounts.AccountOpened',
                  schemaVersion: 2,
                  data: {
                    accountId,
                    ownerId: 'bench',
                    currency: 'EUR',
                    overdraftLimit: 0,
                    dailyWithdrawalLimit: 100_000_000,
                    openedAt: at,
                  },
                }
              : {
                  type: 'ledger.accounts.MoneyDeposited',
                  schemaVersion: 1,
                  data: {
                    accountId,
                    amount: 1_000 + version,
                    currency: 'EUR',
                    reference: `bench-${version}`,
                    depositedAt: at,
                  },
                };
          await store.appendToStream(accountStreamId(accountId), 'account', version, [
            {
              ...event,
              metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'bench' },
            },
          ]);
        }
      }
    }),
  );
}

async function readEverything(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let batch = await store.readAllSafe({ limit: 10_000 }); batch.events.length > 0;) {
    events.push(...batch.events);
    batch = await store.readAllSafe({ after: batch.position, limit: 10_000 });
  }
  return events;
}

/** Store to committed on Kafka: from start() until the relay counted every event as published. */
export async function relayRun(
  world: BenchWorld,
  databaseUrl: string,
  events: number,
  batchSize: number,
): Promise<Timed> {
  const { topicFor } = await world.topicSet(`relay-${randomUUID().slice(0, 8)}`);
  const eventRelay = await createEventRelay(
    world.relayConfig(databaseUrl, { RELAY_BATCH_SIZE: String(batchSize) }),
    { topicFor },
  );
  try {
    collectGarbage();
    const cpu = startCpuMeter();
    const started = performance.now();
    eventRelay.start();
    await waitFor(
      async () => (await metricValue(eventRelay, 'ledger_relay_events_published_total')) >= events,
      {
        what: `${events} events relayed`,
        timeoutMs: 600_000,
        intervalMs: 5,
      },
    );
    return { perSecond: events / ((performance.now() - started) / 1_000), cpu: cpu() };
  } finally {
    await eventRelay.stop();
  }
}

/** The same records, already encoded, sent by a producer with the relay's settings in batches of the same size. */
async function rawRun(
  world: BenchWorld,
  stored: readonly RecordedEvent[],
  batchSize: number,
  transactional: boolean,
): Promise<Timed & { bytes: ThroughputRound['recordBytes'] }> {
  const { topicFor } = await world.topicSet(`raw-${randomUUID().slice(0, 8)}`);
  const codec = AvroEventCodec.forRegistry(schemaRegistryUrl());
  const batches: TopicMessages[][] = [];
  for (let start = 0; start < stored.length; start += batchSize) {
    batches.push(await toTopicMessages(stored.slice(start, start + batchSize), codec, topicFor));
  }
  const messages = batches.flat().flatMap((batch) => batch.messages);
  const headerBytes = (headers: Message['headers']) =>
    Object.entries(headers ?? {}).reduce(
      (sum, [name, value]) => sum + name.length + Buffer.byteLength(String(value)),
      0,
    );
  const bytes = {
    value: messages.reduce((sum, { value }) => sum + (value as Buffer).length, 0) / messages.length,
    total:
      messages.reduce(
        (sum, { key, value, headers }) =>
          sum + String(key).length + (value as Buffer).length + headerBytes(headers),
        0,
      ) / messages.length,
  };
  const producer = transactional
    ? createRelayProducer(world.kafka, `bench.raw.${randomUUID()}`)
    : world.kafka.producer(RELAY_PRODUCER_CONFIG);
  await producer.connect();
  try {
    if (transactional) await (await producer.transaction()).abort();
    collectGarbage();
    const cpu = startCpuMeter();
    const started = performance.now();
    for (const topicMessages of batches) {
      if (!transactional) {
        await producer.sendBatch({ topicMessages, acks: -1 });
        continue;
      }
      const transaction = await producer.transaction();
      await transaction.sendBatch({ topicMessages, acks: -1 });
      await transaction.commit();
    }
    return { perSecond: stored.length / ((performance.now() - started) / 1_000), cpu: cpu(), bytes };
  } finally {
    await producer.disconnect();
  }
}

/** One round: seed a fresh store, then relay it and send the same records raw, alternating which goes first. */
export async function throughputRound(
  world: BenchWorld,
  settings: RelayBenchSettings,
  round: number,
  progress: (line: string) => void,
): Promise<ThroughputRound> {
  const roundStore = await world.roundStore();
  try {
    await seed(roundStore.store, settings.events);
    const stored = await readEverything(roundStore.store);
    const measureRelay = () => relayRun(world, roundStore.database.url, stored.length, settings.batchSize);
    const measureRaw = () => rawRun(world, stored, settings.batchSize, false);
    const measureRawTransactional = () => rawRun(world, stored, settings.batchSize, true);
    let relay: Timed;
    let raw: Timed & { bytes: ThroughputRound['recordBytes'] };
    let rawTransactional: Timed;
    if (round % 2 === 1) {
      relay = await measureRelay();
      raw = await measureRaw();
      rawTransactional = await measureRawTransactional();
    } else {
      rawTransactional = await measureRawTransactional();
      raw = await measureRaw();
      relay = await measureRelay();
    }
    progress(
      `throughput round ${round}: relay ${relay.perSecond.toFixed(0)}/s, raw transactional ${rawTransactional.perSecond.toFixed(0)}/s, raw idempotent ${raw.perSecond.toFixed(0)}/s`,
    );
    return {
      relayPerSecond: relay.perSecond,
      rawPerSecond: raw.perSecond,
      rawTransactionalPerSecond: rawTransactional.perSecond,
      recordBytes: raw.bytes,
      cpu: { relay: relay.cpu, raw: raw.cpu, rawTransactional: rawTransactional.cpu },
    };
  } finally {
    await roundStore.close();
  }
}
