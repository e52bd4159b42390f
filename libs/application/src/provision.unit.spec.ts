import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { z } from 'zod';
import { provisionSteps, retryTopicsEnv } from './provision';

const admin = async () => ({}) as Admin;

describe('provision', () => {
  it('has one step per part of the plan, in a fixed order, and none for an empty plan', () => {
    expect(provisionSteps({})).toEqual([]);
    const names = (plan: Parameters<typeof provisionSteps>[0]) =>
      provisionSteps(plan).map((step) => step.name);
    expect(
      names({
        consumerTopics: { admin, groups: ['g'], retryDelaysMs: [1], partitions: 1 },
        eventTopics: { admin, partitions: 1, replicationFactor: 1 },
        schemas: { url: 'http://registry' },
        database: { url: 'postgres://db', pool: {} as Pool },
      }),
    ).toEqual([
      'event store schema',
      'projection runtime and read-model schema',
      'Avro schemas',
      'event topics',
      'retry and dead-letter topics',
    ]);
    expect(names({ eventTopics: { admin, partitions: 1, replicationFactor: 1 } })).toEqual(['event topics']);
  });

  it('reads the retry settings as the consumer apps do: one level per delay', () => {
    const schema = z.object(retryTopicsEnv);
    expect(schema.parse({})).toEqual({ RETRY_DELAYS_MS: [1000, 10000, 60000], RETRY_TOPIC_PARTITIONS: 6 });
    expect(schema.parse({ RETRY_DELAYS_MS: '200,500' }).RETRY_DELAYS_MS).toEqual([200, 500]);
    expect(schema.safeParse({ RETRY_DELAYS_MS: '1s' }).success).toBe(false);
  });
});
