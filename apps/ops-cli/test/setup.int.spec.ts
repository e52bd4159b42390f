import { createTestDatabase, kafkaBrokers, TestDatabase } from '@ledger/testing';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { run } from '../src/main';
import { captureCliOutput, restoreEnvAfterAll } from './support/cli';

// `ops-cli setup` provisions what the consumer apps provision at start, from the same settings: one retry
// topic per RETRY_DELAYS_MS entry, in a namespace of its own (KAFKA_TOPIC_PREFIX).
describe('ops-cli setup', () => {
  const prefix = `setup-${randomBytes(4).toString('hex')}.`;
  restoreEnvAfterAll('DATABASE_URL', 'KAFKA_TOPIC_PREFIX', 'RETRY_DELAYS_MS');
  const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  let database: TestDatabase;
  const output = captureCliOutput();

  beforeAll(async () => {
    database = await createTestDatabase('setup');
    process.env.DATABASE_URL = database.urlAs('owner');
    process.env.KAFKA_TOPIC_PREFIX = prefix;
    await admin.connect();
  });
  afterAll(async () => {
    const ours = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours });
    await admin.disconnect();
    await database?.drop();
  });

  it('provisions one retry level per RETRY_DELAYS_MS entry, as the apps do, and migrates every schema', async () => {
    process.env.RETRY_DELAYS_MS = '100,200';
    expect(await run(['setup'])).toBe(0);
    // How many it had to create depends on what exists; which exist afterwards is checked below.
    expect(output.stdout).toMatch(
      /retry and dead-letter topics: 3 consumer group\(s\), 2 retry level\(s\), \d+ topic\(s\) created/,
    );
    expect(output.stdout).toContain('read-model.accounts 1-account-tables');

    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix)).sort();
    expect(topics).toEqual(
      [
        'ledger.account.events',
        'ledger.transfer.events',
        ...['ledger.projector.accounts', 'ledger.projector.transfers', 'ledger.transfer-saga'].flatMap(
          (group) => [`${group}.dlq`, `${group}.retry.1`, `${group}.retry.2`],
        ),
      ]
        .map((topic) => `${prefix}${topic}`)
        .sort(),
    );

    output.stdout = '';
    expect(await run(['setup'])).toBe(0);
    expect(output.stdout).toContain('projection runtime and read-model schema: up to date');
    expect(output.stdout).toContain('0 topic(s) created');
  });

  it('refuses a malformed RETRY_DELAYS_MS with exit code 2, naming it', async () => {
    process.env.RETRY_DELAYS_MS = '1s,10s';
    expect(await run(['setup', '--dry-run'])).toBe(2);
    expect(output.stderr).toContain('RETRY_DELAYS_MS');
  });
});
