import { randomBytes } from 'node:crypto';
import { kafkaBrokers } from '@ledger/testing';
import { ConfigResourceTypes, type Admin } from 'kafkajs';
import { createKafka } from './create-kafka';
import { eventTopicNames, provisionTopics } from './provision-topics';

describe('provisionTopics', () => {
  const prefix = `provision-test.${randomBytes(4).toString('hex')}`;
  const topics = eventTopicNames().map((topic) => `${prefix}.${topic}`);
  let admin: Admin;

  beforeAll(async () => {
    admin = createKafka({ brokers: kafkaBrokers(), clientId: 'provision-test' }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates the event topics with unlimited retention, then finds them on a second run', async () => {
    const first = await provisionTopics(admin, { topics, partitions: 3 });
    const second = await provisionTopics(admin, { topics, partitions: 3 });

    expect(first).toEqual({ created: topics, existing: [], mismatches: [] });
    expect(second).toEqual({ created: [], existing: topics, mismatches: [] });
    const { topics: layouts } = await admin.fetchTopicMetadata({ topics });
    expect(layouts.map(({ partitions }) => partitions.length)).toEqual([3, 3]);
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: ['retention.ms'],
      })),
    });
    expect(resources.map(({ configEntries }) => configEntries[0]?.configValue)).toEqual(['-1', '-1']);
  });

  it('reports an existing topic whose partition count differs, and leaves it as it is', async () => {
    const report = await provisionTopics(admin, { topics, partitions: 6 });

    expect(report.created).toEqual([]);
    expect(report.mismatches).toEqual(
      topics.map((topic) => ({ topic, setting: 'partitions', expected: 6, actual: 3 })),
    );
    const { topics: layouts } = await admin.fetchTopicMetadata({ topics });
    expect(layouts.map(({ partitions }) => partitions.length)).toEqual([3, 3]);
  });

  it('names the catalogue topics by default', () => {
    expect(eventTopicNames()).toEqual(['ledger.account.events', 'ledger.transfer.events']);
  });
});
