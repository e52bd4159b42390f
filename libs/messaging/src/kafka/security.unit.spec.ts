import { baseEnvSchema, ConfigError, loadConfig } from '@ledger/config';
import { kafkaConfigOf } from './create-kafka';
import { kafkaSecurityFrom, type ReadSecretFile } from './security';

// Kafka's transport options, from the same environment variables the apps read.

const files: Record<string, string> = {
  '/secrets/kafka/ca.crt': 'CA PEM',
  '/secrets/kafka/tls.crt': 'CERT PEM',
  '/secrets/kafka/tls.key': 'KEY PEM',
  '/secrets/kafka/password': 's3cret\n',
};
const read: ReadSecretFile = (path) => {
  if (!(path in files)) throw new Error('ENOENT: no such file');
  return files[path];
};
const securityOf = (env: Record<string, string>) => kafkaSecurityFrom(loadConfig(baseEnvSchema, env), read);

describe('Kafka client security from the configuration', () => {
  it('is off by default: plaintext, no authentication', () => {
    expect(securityOf({})).toEqual({});
    const config = kafkaConfigOf({ brokers: ['b:9092'], clientId: 'c', ...securityOf({}) });
    expect(config.ssl).toBeUndefined();
    expect(config.sasl).toBeUndefined();
  });

  it('builds TLS with a CA, a client certificate and key, and verification on unless turned off', () => {
    const env = {
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: '/secrets/kafka/ca.crt',
      KAFKA_SSL_CERT_FILE: '/secrets/kafka/tls.crt',
      KAFKA_SSL_KEY_FILE: '/secrets/kafka/tls.key',
    };
    expect(securityOf(env)).toEqual({
      ssl: { rejectUnauthorized: true, ca: ['CA PEM'], cert: 'CERT PEM', key: 'KEY PEM' },
    });
    expect(securityOf({ KAFKA_SSL: 'true', KAFKA_SSL_REJECT_UNAUTHORIZED: 'false' })).toEqual({
      ssl: { rejectUnauthorized: false },
    });
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'])(
    'builds SASL %s from a password in the environment or in a file',
    (mechanism) => {
      const fromEnv = securityOf({
        KAFKA_SASL_MECHANISM: mechanism,
        KAFKA_SASL_USERNAME: 'ledger',
        KAFKA_SASL_PASSWORD: 'pw',
      });
      expect(fromEnv).toEqual({ sasl: { mechanism, username: 'ledger', password: 'pw' } });
      const fromFile = securityOf({
        KAFKA_SASL_MECHANISM: mechanism,
        KAFKA_SASL_USERNAME: 'ledger',
        KAFKA_SASL_PASSWORD_FILE: '/secrets/kafka/password',
      });
      expect(fromFile.sasl).toEqual({ mechanism, username: 'ledger', password: 's3cret' });
    },
  );

  it('hands TLS and SASL together to the kafkajs client', () => {
    const security = securityOf({
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
    });
    const config = kafkaConfigOf({ brokers: ['b:9093'], clientId: 'relay', ...security });
    expect(config).toMatchObject({
      brokers: ['b:9093'],
      ssl: { rejectUnauthorized: true },
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
    });
  });

  it.each([
    [
      { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' },
      'KAFKA_SASL_MECHANISM=plain needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD',
    ],
    [{ KAFKA_SASL_PASSWORD: 'p' }, 'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD need KAFKA_SASL_MECHANISM'],
    [
      {
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
        KAFKA_SASL_PASSWORD_FILE: '/secrets/kafka/password',
      },
      'set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both',
    ],
    [{ KAFKA_SSL_CA_FILE: '/secrets/kafka/ca.crt' }, 'need KAFKA_SSL=true'],
    [
      { KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: '/secrets/kafka/tls.crt' },
      'KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together',
    ],
    [
      { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/missing/ca.crt' },
      'KAFKA_SSL_CA_FILE: cannot read /missing/ca.crt',
    ],
  ])('refuses settings that cannot work, naming the variable: %j', (env, message) => {
    expect(() => securityOf(env)).toThrow(ConfigError);
    expect(() => securityOf(env)).toThrow(message);
  });

  it('refuses an unknown mechanism at validation', () => {
    expect(() => loadConfig(baseEnvSchema, { KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow(
      /KAFKA_SASL_MECHANISM/,
    );
  });
});
