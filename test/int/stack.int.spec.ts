import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import {
  CONSUMER_GROUP_COMMAND,
  createTestDatabase,
  kafkaBrokers,
  kafkaTool,
  schemaRegistryUrl,
  TestDatabase,
  waitFor,
} from '@ledger/testing';

// Smoke tests: each one fails when its service is down, so a green run proves the stack is real.

const suffix = randomUUID().slice(0, 8);
const topic = `smoke.stack.${suffix}`;
const subject = `${topic}-ledger.smoke.Ping`;
const pingV1 = {
  type: 'record',
  name: 'Ping',
  namespace: 'ledger.smoke',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amount', type: 'long' },
  ],
};

const kafka = new Kafka({ clientId: 'stack-smoke', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
const registry = new SchemaRegistry({ host: schemaRegistryUrl() });

async function setSubjectCompatibility(level: string): Promise<void> {
  const response = await fetch(`${schemaRegistryUrl()}/config/${encodeURIComponent(subject)}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility: level }),
  });
  expect(response.ok).toBe(true);
}

async function consumeOne(groupId: string): Promise<{ value: unknown; offset: string }> {
  const consumer = kafka.consumer({ groupId, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let received: { value: unknown; offset: string } | undefined;
  await consumer.run({
    eachMessage: async ({ message }) => {
      received = { value: await registry.decode(message.value as Buffer), offset: message.offset };
    },
  });
  try {
    return await waitFor(() => received, { what: `a record for group ${groupId}`, timeoutMs: 30_000 });
  } finally {
    await consumer.disconnect();
  }
}

describe('local stack', () => {
  const admin = kafka.admin();

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('registers an Avro schema, produces through Kafka and decodes the same value in two consumer groups', async () => {
    await setSubjectCompatibility('BACKWARD_TRANSITIVE');
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(pingV1) },
      { subject, compatibility: COMPATIBILITY.BACKWARD_TRANSITIVE },
    );
    const value = { id: randomUUID(), amount: 12_345 };

    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: value.id, value: await registry.encode(id, value) }],
    });
    await producer.disconnect();

    const first = await consumeOne(`smoke-a-${suffix}`);
    const second = await consumeOne(`smoke-b-${suffix}`);
    expect(first.value).toEqual(value);
    expect(second.value).toEqual(value);
  });

  it('lets the registry refuse an incompatible change of the schema', async () => {
    const removedFieldWithoutDefault = {
      ...pingV1,
      fields: [pingV1.fields[0]!, { name: 'note', type: 'string' }],
    };
    const response = await fetch(
      `${schemaRegistryUrl()}/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
        body: JSON.stringify({ schema: JSON.stringify(removedFieldWithoutDefault) }),
      },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ is_compatible: false });
    await expect(
      registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(removedFieldWithoutDefault) },
        { subject, compatibility: COMPATIBILITY.BACKWARD_TRANSITIVE },
      ),
    ).rejects.toThrow();
  });

  it("reads a group's committed offsets back with Kafka's own consumer-group tool", async () => {
    const output = await kafkaTool(CONSUMER_GROUP_COMMAND, [
      '--bootstrap-server',
      kafkaBrokers().join(','),
      '--describe',
      '--group',
      `smoke-a-${suffix}`,
    ]);
    const row = output.split('\n').find((line) => line.includes(topic));
    expect(row).toBeDefined();
    // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG ...
    const [, , partition, current, logEnd, lag] = row!.trim().split(/\s+/);
    expect({ partition, current, logEnd, lag }).toEqual({
      partition: '0',
      current: '1',
      logEnd: '1',
      lag: '0',
    });
  });
});

class CreateSmokeTable1700000000000 implements MigrationInterface {
  name = 'CreateSmokeTable1700000000000';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('create table smoke (id int primary key, note text not null)');
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table smoke');
  }
}

describe('Postgres through TypeORM', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('smoke');
    dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      migrations: [CreateSmokeTable1700000000000],
    });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('runs a migration and records it', async () => {
    const applied = await dataSource.runMigrations();
    expect(applied.map((migration) => migration.name)).toEqual(['CreateSmokeTable1700000000000']);
    await dataSource.query(`insert into smoke values (1, 'ok')`);
    expect(await dataSource.query('select note from smoke')).toEqual([{ note: 'ok' }]);
    expect(await dataSource.runMigrations()).toEqual([]);
  });
});
