import { randomBytes, randomUUID } from 'node:crypto';
import { kafkaBrokers, schemaRegistryUrl, waitFor } from '@ledger/testing';
import { registerSchemas } from '@ledger/schemas';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { AvroEventCodec, type DecodedEvent } from './avro-event-codec';
import { UndecodableEventError } from './errors';

describe('AvroEventCodec with the registry and Kafka', () => {
  const topic = `codec-test.${randomBytes(6).toString('hex')}`;
  const kafka = new Kafka({ clientId: 'codec-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  let producer: Producer;
  let consumer: Consumer;
  const codec = AvroEventCodec.forRegistry(schemaRegistryUrl());

  beforeAll(async () => {
    // The real subjects: registration is idempotent, and the codec resolves ids under exactly these names.
    const registryUrl = schemaRegistryUrl();
    await registerSchemas({ url: registryUrl });
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    producer = kafka.producer({ idempotent: true });
    consumer = kafka.consumer({ groupId: `${topic}.reader`, readUncommitted: false });
    await Promise.all([producer.connect(), consumer.connect()]);
  });

  afterAll(async () => {
    await Promise.all([producer?.disconnect(), consumer?.disconnect()]);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('encodes events, carries them through a topic and decodes them into current versions', async () => {
    const accountId = randomUUID();
    const at = '2025-03-01T09:30:00.000Z';
    const openedV2 = {
      accountId,
      ownerId: 'owner-1',
      currency: 'EUR',
      overdraftLimit: 0,
      dailyWithdrawalLimit: 50_000,
      openedAt: at,
    };
    const { dailyWithdrawalLimit: _limit, ...openedV1 } = openedV2;
    const deposited = { accountId, amount: 1250, currency: 'EUR', reference: null, depositedAt: at };
    const values = [
      await codec.encode('ledger.accounts.AccountOpened', 2, openedV2),
      await codec.encode('ledger.accounts.MoneyDeposited', 1, deposited),
      await codec.encode('ledger.accounts.AccountOpened', 1, openedV1),
    ];
    await producer.send({
      topic,
      acks: -1,
      messages: values.map((value) => ({ key: `account-${accountId}`, value })),
    });

    const received: DecodedEvent[] = [];
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(await codec.decode(message.value as Buffer));
      },
    });
    await waitFor(() => received.length === values.length, {
      what: 'three decoded events',
      timeoutMs: 30_000,
    });

    expect(
      received.map(({ type, version, writerVersion, data }) => ({ type, version, writerVersion, data })),
    ).toStrictEqual([
      { type: 'ledger.accounts.AccountOpened', version: 2, writerVersion: 2, data: openedV2 },
      { type: 'ledger.accounts.MoneyDeposited', version: 1, writerVersion: 1, data: deposited },
      {
        type: 'ledger.accounts.AccountOpened',
        version: 2,
        writerVersion: 1,
        data: { ...openedV1, dailyWithdrawalLimit: 100_000_000 },
      },
    ]);
  });

  it('treats a schema id the registry does not know as undecodable', async () => {
    const unknownId = Buffer.from([0, 0x7f, 0xff, 0xff, 0xff, 2]);

    await expect(codec.decode(unknownId)).rejects.toThrow(UndecodableEventError);
  });
});
