import { z } from 'zod';
import { baseEnvSchema, ConfigError, loadConfig } from './env';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(baseEnvSchema, {});
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.DATABASE_URL).toBe('postgres://ledger:ledger@127.0.0.1:5432/ledger');
  });

  it('splits a broker list', () => {
    expect(loadConfig(baseEnvSchema, { KAFKA_BROKERS: 'a:1, b:2' }).KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
  });

  it('names every invalid variable', () => {
    const schema = baseEnvSchema.extend({ PORT: z.coerce.number().int().min(1) });
    expect(() => loadConfig(schema, { DATABASE_URL: 'not a url', PORT: 'x' })).toThrow(ConfigError);
    try {
      loadConfig(schema, { DATABASE_URL: 'not a url', PORT: 'x' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('PORT');
    }
  });
});
