import { ConfigError } from '@ledger/config';
import { loadEventRelayConfig, relayCheckpointTopic, relayTransactionalId } from './config';

describe('event relay configuration', () => {
  it('runs on the documented defaults', () => {
    expect(loadEventRelayConfig({})).toMatchObject({
      OPS_PORT: 3010,
      RELAY_BATCH_SIZE: 1_000,
      RELAY_CHECKPOINT_NAME: 'outbox-relay',
      RELAY_LINGER_MS: 0,
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
      RELAY_BATCH_SIZE: '2000',
      RELAY_CHECKPOINT_NAME: 'relay-eu',
      RELAY_TRANSACTIONAL_ID: 'relay-eu-prod',
      RELAY_CHECKPOINT_TOPIC: 'relay.checkpoints',
      RELAY_LINGER_MS: '10',
      RELAY_POLL_INTERVAL_MS: '250',
      RELAY_PROVISION_TOPICS: 'false',
      KAFKA_TOPIC_PARTITIONS: '12',
      KAFKA_REPLICATION_FACTOR: '3',
    });

    expect(config).toMatchObject({
      OPS_PORT: 9100,
      RELAY_BATCH_SIZE: 2000,
      RELAY_CHECKPOINT_NAME: 'relay-eu',
      RELAY_TRANSACTIONAL_ID: 'relay-eu-prod',
      RELAY_CHECKPOINT_TOPIC: 'relay.checkpoints',
      RELAY_LINGER_MS: 10,
      RELAY_POLL_INTERVAL_MS: 250,
      RELAY_PROVISION_TOPICS: false,
      KAFKA_TOPIC_PARTITIONS: 12,
      KAFKA_REPLICATION_FACTOR: 3,
    });
  });

  it('derives the transactional id and the checkpoint topic unless configured, in the topic namespace', () => {
    const defaults = loadEventRelayConfig({});
    expect(relayTransactionalId(defaults, {})).toBe('ledger.relay.ledger.outbox-relay');
    expect(relayCheckpointTopic(defaults, {})).toBe('ledger.relay.checkpoints');
    const prefixed = { KAFKA_TOPIC_PREFIX: 'e2e-1.' };
    expect(relayTransactionalId(defaults, prefixed)).toBe('e2e-1.ledger.relay.ledger.outbox-relay');
    expect(relayCheckpointTopic(defaults, prefixed)).toBe('e2e-1.ledger.relay.checkpoints');
    const eu = loadEventRelayConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/ledger_eu',
      RELAY_CHECKPOINT_NAME: 'relay-eu',
    });
    expect(relayTransactionalId(eu, {})).toBe('ledger.relay.ledger_eu.relay-eu');
    const configured = loadEventRelayConfig({ RELAY_TRANSACTIONAL_ID: 'mine', RELAY_CHECKPOINT_TOPIC: 'cp' });
    expect(relayTransactionalId(configured, prefixed)).toBe('mine');
    expect(relayCheckpointTopic(configured, prefixed)).toBe('cp');
    expect(() => loadEventRelayConfig({ RELAY_TRANSACTIONAL_ID: 'has space' })).toThrow(
      /RELAY_TRANSACTIONAL_ID/,
    );
  });

  it('refuses to start on a bad value and names the variable', () => {
    expect(() => loadEventRelayConfig({ RELAY_BATCH_SIZE: '0' })).toThrow(ConfigError);
    expect(() => loadEventRelayConfig({ RELAY_BATCH_SIZE: '0', RELAY_CHECKPOINT_NAME: 'Bad Name' })).toThrow(
      /RELAY_BATCH_SIZE[\s\S]*RELAY_CHECKPOINT_NAME|RELAY_CHECKPOINT_NAME[\s\S]*RELAY_BATCH_SIZE/,
    );
    expect(() => loadEventRelayConfig({ RELAY_PROVISION_TOPICS: 'yes' })).toThrow(/RELAY_PROVISION_TOPICS/);
  });
});
