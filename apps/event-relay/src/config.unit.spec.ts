import { ConfigError } from '@ledger/config';
import { loadEventRelayConfig } from './config';

describe('event relay configuration', () => {
  it('runs on the documented defaults', () => {
    expect(loadEventRelayConfig({})).toMatchObject({
      OPS_PORT: 3010,
      RELAY_BATCH_SIZE: 500,
      RELAY_CHECKPOINT_NAME: 'outbox-relay',
      RELAY_POLL_INTERVAL_MS: 1_000,
      RELAY_PROVISION_TOPICS: true,
      KAFKA_TOPIC_PARTITIONS: 6,
      KAFKA_REPLICATION_FACTOR: 1,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
    });
  });

  it('reads every variable from the environment', () => {
    const config = loadEventRelayConfig({
      OPS_PORT: '9100',
      RELAY_BATCH_SIZE: '1000',
      RELAY_CHECKPOINT_NAME: 'relay-eu',
      RELAY_POLL_INTERVAL_MS: '250',
      RELAY_PROVISION_TOPICS: 'false',
      KAFKA_TOPIC_PARTITIONS: '12',
      KAFKA_REPLICATION_FACTOR: '3',
    });

    expect(config).toMatchObject({
      OPS_PORT: 9100,
      RELAY_BATCH_SIZE: 1000,
      RELAY_CHECKPOINT_NAME: 'relay-eu',
      RELAY_POLL_INTERVAL_MS: 250,
      RELAY_PROVISION_TOPICS: false,
      KAFKA_TOPIC_PARTITIONS: 12,
      KAFKA_REPLICATION_FACTOR: 3,
    });
  });

  it('refuses to start on a bad value and names the variable', () => {
    expect(() => loadEventRelayConfig({ RELAY_BATCH_SIZE: '0' })).toThrow(ConfigError);
    expect(() => loadEventRelayConfig({ RELAY_BATCH_SIZE: '0', RELAY_CHECKPOINT_NAME: 'Bad Name' })).toThrow(
      /RELAY_BATCH_SIZE[\s\S]*RELAY_CHECKPOINT_NAME|RELAY_CHECKPOINT_NAME[\s\S]*RELAY_BATCH_SIZE/,
    );
    expect(() => loadEventRelayConfig({ RELAY_PROVISION_TOPICS: 'yes' })).toThrow(/RELAY_PROVISION_TOPICS/);
  });
});
