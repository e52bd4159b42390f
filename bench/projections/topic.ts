import { randomUUID } from 'node:crypto';
import type { AvroEventCodec } from '@ledger/messaging';
import type { DecodedEvent } from '@ledger/projections';
import type { Admin, Kafka } from 'kafkajs';
import { ledgerEvents, relayMessage } from '../../libs/read-models/src/spec-support';

/** Which events a topic holds: the account streams' or the transfer streams'. */
export type TopicKind = 'account' | 'transfer';

/** A topic filled with events of one kind, and what its read model must hold after projecting it. */
export interface EventTopic {
  readonly name: string;
  readonly kind: TopicKind;
  readonly events: number;
  /** Accounts opened, or transfers requested. */
  readonly aggregates: number;
  /** Statement entries (money movements), or transfer history rows (one per event). */
  readonly rows: number;
  /** Sum of every account's balance once all events are applied (0 for transfers). */
  readonly totalBalance: number;
}

const MOVEMENTS: Record<string, 1 | -1> = {
  'ledger.accounts.MoneyDeposited': 1,
  'ledger.accounts.MoneyWithdrawn': -1,
  'ledger.accounts.TransferDebited': -1,
  'ledger.accounts.TransferCredited': 1,
  'ledger.accounts.TransferRefunded': 1,
};

const isAccountStream = (event: DecodedEvent) => event.streamId.startsWith('account-');

/**
 * Creates a topic and publishes `events` events of one kind of the simulated ledger to it as the relay
 * would (Avro through the registry, envelope headers, stream id as key), in chunks so a million events
 * never sit in memory at once.
 */
export async function publishTopic(
  kafka: Kafka,
  admin: Admin,
  codec: AvroEventCodec,
  options: { kind: TopicKind; events: number; accounts: number; partitions: number; seed: number },
  progress: (line: string) => void,
): Promise<EventTopic> {
  const { kind } = options;
  const name = `bench.projections.${randomUUID().slice(0, 8)}.${kind}-events`;
  await admin.createTopics({
    topics: [{ topic: name, numPartitions: options.partitions }],
    waitForLeaders: true,
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const totals = { events: 0, aggregates: 0, rows: 0, totalBalance: 0 };
  let chunk: DecodedEvent[] = [];
  const flush = async () => {
    const messages = await Promise.all(chunk.map((event) => relayMessage(event, codec)));
    await producer.send({ topic: name, acks: -1, messages });
    chunk = [];
  };
  // Transfer events are a share of the log: generate until there are enough of them.
  const accountEvents = kind === 'account' ? options.events : Number.MAX_SAFE_INTEGER;
  try {
    for (const event of ledgerEvents({ accounts: options.accounts, accountEvents, seed: options.seed })) {
      if (totals.events >= options.events) break;
      if (isAccountStream(event) !== (kind === 'account')) continue;
      chunk.push(event);
      totals.events += 1;
      if (kind === 'transfer') {
        totals.rows += 1;
        if (event.type === 'ledger.transfers.TransferRequested') totals.aggregates += 1;
      } else {
        if (event.type === 'ledger.accounts.AccountOpened') totals.aggregates += 1;
        const sign = MOVEMENTS[event.type];
        if (sign) {
          totals.rows += 1;
          totals.totalBalance += sign * (event.data as { amount: number }).amount;
        }
      }
      if (chunk.length === 5_000) await flush();
      if (totals.events % 100_000 === 0) progress(`  published ${totals.events.toLocaleString('en-US')}`);
    }
    if (chunk.length > 0) await flush();
  } finally {
    await producer.disconnect();
  }
  return { name, kind, ...totals };
}
