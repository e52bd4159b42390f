import { randomUUID } from 'node:crypto';
import type { AvroEventCodec } from '@ledger/messaging';
import type { DecodedEvent } from '@ledger/projections';
import type { Admin, Kafka } from 'kafkajs';
import { ledgerEvents, relayMessage } from '../../libs/read-models/src/spec-support';

/** A topic filled with account events, and what the accounts read model must hold after projecting it. */
export interface AccountTopic {
  readonly name: string;
  readonly events: number;
  readonly accounts: number;
  readonly statementEntries: number;
  /** Sum of every account's balance once all events are applied. */
  readonly totalBalance: number;
}

const MOVEMENTS: Record<string, 1 | -1> = {
  'ledger.accounts.MoneyDeposited': 1,
  'ledger.accounts.MoneyWithdrawn': -1,
  'ledger.accounts.TransferDebited': -1,
  'ledger.accounts.TransferCredited': 1,
  'ledger.accounts.TransferRefunded': 1,
};

/**
 * Creates a topic and publishes `events` account events of the simulated ledger to it as the relay
 * would (Avro through the registry, envelope headers, stream id as key), in chunks so a million events
 * never sit in memory at once.
 */
export async function publishAccountTopic(
  kafka: Kafka,
  admin: Admin,
  codec: AvroEventCodec,
  options: { events: number; accounts: number; partitions: number; seed: number },
  progress: (line: string) => void,
): Promise<AccountTopic> {
  const name = `bench.projections.${randomUUID().slice(0, 8)}.account-events`;
  await admin.createTopics({
    topics: [{ topic: name, numPartitions: options.partitions }],
    waitForLeaders: true,
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const totals = { events: 0, accounts: 0, statementEntries: 0, totalBalance: 0 };
  let chunk: DecodedEvent[] = [];
  const flush = async () => {
    const messages = await Promise.all(chunk.map((event) => relayMessage(event, codec)));
    await producer.send({ topic: name, acks: -1, messages });
    chunk = [];
  };
  try {
    for (const event of ledgerEvents({
      accounts: options.accounts,
      accountEvents: options.events,
      seed: options.seed,
    })) {
      if (!event.streamId.startsWith('account-') || totals.events >= options.events) continue;
      chunk.push(event);
      totals.events += 1;
      if (event.type === 'ledger.accounts.AccountOpened') totals.accounts += 1;
      const sign = MOVEMENTS[event.type];
      if (sign) {
        totals.statementEntries += 1;
        totals.totalBalance += sign * (event.data as { amount: number }).amount;
      }
      if (chunk.length === 5_000) await flush();
      if (totals.events % 100_000 === 0) progress(`  published ${totals.events.toLocaleString('en-US')}`);
    }
    if (chunk.length > 0) await flush();
  } finally {
    await producer.disconnect();
  }
  return { name, ...totals };
}
