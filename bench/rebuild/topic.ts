import type { AvroEventCodec } from '@ledger/messaging';
import type { DecodedEvent } from '@ledger/projections';
import type { Admin, Kafka } from 'kafkajs';
import { ledgerEvents, relayMessage } from '../../libs/read-models/src/spec-support';

/** Creates `topic` and publishes `events` account events of the simulated ledger as the relay would. */
export async function publishAccountEvents(
  kafka: Kafka,
  admin: Admin,
  codec: AvroEventCodec,
  topic: string,
  options: { events: number; accounts: number; partitions: number },
  progress: (line: string) => void,
): Promise<number> {
  await admin.createTopics({ topics: [{ topic, numPartitions: options.partitions }], waitForLeaders: true });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let published = 0;
  let chunk: DecodedEvent[] = [];
  const flush = async () => {
    const messages = await Promise.all(chunk.map((event) => relayMessage(event, codec)));
    await producer.send({ topic, acks: -1, messages });
    chunk = [];
  };
  try {
    for (const event of ledgerEvents({
      accounts: options.accounts,
      accountEvents: options.events,
      seed: 3,
    })) {
      if (!event.streamId.startsWith('account-') || published >= options.events) continue;
      chunk.push(event);
      published += 1;
      if (chunk.length === 5_000) await flush();
      if (published % 100_000 === 0) progress(`  published ${published.toLocaleString('en-US')}`);
    }
    if (chunk.length > 0) await flush();
  } finally {
    await producer.disconnect();
  }
  return published;
}
