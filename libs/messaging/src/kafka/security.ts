import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError } from '@ledger/config';
import type { SASLOptions } from 'kafkajs';

/** The transport settings of every app's configuration (libs/config), by their variable names. */
export interface KafkaSecuritySettings {
  readonly KAFKA_SSL: boolean;
  readonly KAFKA_SSL_CA_FILE?: string;
  readonly KAFKA_SSL_CERT_FILE?: string;
  readonly KAFKA_SSL_KEY_FILE?: string;
  readonly KAFKA_SSL_REJECT_UNAUTHORIZED: boolean;
  readonly KAFKA_SASL_MECHANISM: 'none' | 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly KAFKA_SASL_USERNAME?: string;
  readonly KAFKA_SASL_PASSWORD?: string;
  readonly KAFKA_SASL_PASSWORD_FILE?: string;
}

/** What kafkajs needs to reach a secured cluster: spread into `createKafka`'s options. */
export interface KafkaSecurity {
  readonly ssl?: ConnectionOptions | boolean;
  readonly sasl?: SASLOptions;
}

/** Settings that cannot work together or a file that cannot be read: a configuration error naming the variable. */
export class TransportConfigError extends ConfigError {
  constructor(issue: string) {
    super([issue]);
  }
}

export type ReadSecretFile = (path: string) => string;
const readText: ReadSecretFile = (path) => readFileSync(path, 'utf8');

/** The value of `name`, or the content of the file `<name>_FILE` names (a Secret mounted as a volume). */
export function secretValue(
  value: string | undefined,
  file: string | undefined,
  name: string,
  read: ReadSecretFile = readText,
): string | undefined {
  if (value !== undefined && file !== undefined)
    throw new TransportConfigError(`set ${name} or ${name}_FILE, not both`);
  if (file === undefined) return value;
  try {
    // A mounted Secret file often ends with a newline the password does not contain.
    return read(file).replace(/\r?\n$/, '');
  } catch (error) {
    throw new TransportConfigError(`${name}_FILE: cannot read ${file}: ${(error as Error).message}`);
  }
}

function pemFile(path: string | undefined, name: string, read: ReadSecretFile): string | undefined {
  if (path === undefined) return undefined;
  try {
    return read(path);
  } catch (error) {
    throw new TransportConfigError(`${name}: cannot read ${path}: ${(error as Error).message}`);
  }
}

/**
 * kafkajs' `ssl` and `sasl` options from the configuration; empty when both are off (the local default).
 * Files are read once, here, so a missing certificate stops the app at start-up, naming the variable.
 */
export function kafkaSecurityFrom(
  settings: KafkaSecuritySettings,
  read: ReadSecretFile = readText,
): KafkaSecurity {
  const security: { ssl?: ConnectionOptions | boolean; sasl?: SASLOptions } = {};
  const files = [settings.KAFKA_SSL_CA_FILE, settings.KAFKA_SSL_CERT_FILE, settings.KAFKA_SSL_KEY_FILE];
  if (!settings.KAFKA_SSL && files.some((file) => file !== undefined)) {
    throw new TransportConfigError(
      'KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE need KAFKA_SSL=true',
    );
  }
  if ((settings.KAFKA_SSL_CERT_FILE === undefined) !== (settings.KAFKA_SSL_KEY_FILE === undefined)) {
    throw new TransportConfigError(
      'KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together (a client certificate and its key)',
    );
  }
  if (settings.KAFKA_SSL) {
    const ca = pemFile(settings.KAFKA_SSL_CA_FILE, 'KAFKA_SSL_CA_FILE', read);
    const cert = pemFile(settings.KAFKA_SSL_CERT_FILE, 'KAFKA_SSL_CERT_FILE', read);
    const key = pemFile(settings.KAFKA_SSL_KEY_FILE, 'KAFKA_SSL_KEY_FILE', read);
    security.ssl = {
      rejectUnauthorized: settings.KAFKA_SSL_REJECT_UNAUTHORIZED,
      ...(ca === undefined ? {} : { ca: [ca] }),
      ...(cert === undefined ? {} : { cert, key }),
    };
  }
  const password = secretValue(
    settings.KAFKA_SASL_PASSWORD,
    settings.KAFKA_SASL_PASSWORD_FILE,
    'KAFKA_SASL_PASSWORD',
    read,
  );
  if (settings.KAFKA_SASL_MECHANISM === 'none') {
    if (settings.KAFKA_SASL_USERNAME !== undefined || password !== undefined) {
      throw new TransportConfigError(
        'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD need KAFKA_SASL_MECHANISM (plain, scram-sha-256 or scram-sha-512)',
      );
    }
    return security;
  }
  if (settings.KAFKA_SASL_USERNAME === undefined || password === undefined) {
    throw new TransportConfigError(
      `KAFKA_SASL_MECHANISM=${settings.KAFKA_SASL_MECHANISM} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE)`,
    );
  }
  security.sasl = {
    mechanism: settings.KAFKA_SASL_MECHANISM,
    username: settings.KAFKA_SASL_USERNAME,
    password,
  };
  return security;
}
