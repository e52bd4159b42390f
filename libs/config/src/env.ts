import { z } from 'zod';

const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((value) => value === 'true');
const optionalText = z.string().min(1).optional();

/**
 * Kafka and registry authentication and TLS, all off by default (the local stack has neither). Secrets come
 * from the environment (a Kubernetes Secret as env) or from files (a Secret mounted as a volume: the
 * `_FILE` variants and the TLS paths); never from a ConfigMap. Registry TLS with a private CA: an https URL
 * plus NODE_EXTRA_CA_CERTS, which Node itself reads for every HTTPS call.
 */
const transportSecurityEnv = {
  /** TLS to the brokers; the CA, client certificate and key are PEM files (all optional). */
  KAFKA_SSL: flag('false'),
  KAFKA_SSL_CA_FILE: optionalText,
  KAFKA_SSL_CERT_FILE: optionalText,
  KAFKA_SSL_KEY_FILE: optionalText,
  KAFKA_SSL_REJECT_UNAUTHORIZED: flag('true'),
  KAFKA_SASL_MECHANISM: z.enum(['none', 'plain', 'scram-sha-256', 'scram-sha-512']).default('none'),
  KAFKA_SASL_USERNAME: optionalText,
  KAFKA_SASL_PASSWORD: optionalText,
  KAFKA_SASL_PASSWORD_FILE: optionalText,
  /** HTTP basic authentication to the schema registry; none when unset. */
  SCHEMA_REGISTRY_USERNAME: optionalText,
  SCHEMA_REGISTRY_PASSWORD: optionalText,
  SCHEMA_REGISTRY_PASSWORD_FILE: optionalText,
  /** Read by Node itself at start: extra trusted CAs (PEM) for the registry's (and any) TLS. */
  NODE_EXTRA_CA_CERTS: optionalText,
};

/**
 * Environment variables shared by every app, with the defaults the local stack uses
 * (scripts/stack/env.sh). Apps extend this schema with their own variables.
 */
export const baseEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().default('postgres://ledger:ledger@127.0.0.1:5432/ledger'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .default('127.0.0.1:9092')
    .transform((value) => value.split(',').map((broker) => broker.trim())),
  KAFKA_CLIENT_ID: z.string().min(1).default('ledger'),
  SCHEMA_REGISTRY_URL: z.string().url().default('http://127.0.0.1:8081/apis/ccompat/v7'),
  ...transportSecurityEnv,
});

export type BaseEnv = z.infer<typeof baseEnvSchema>;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses `source` (default: process.env) against `schema`; throws a ConfigError naming every bad variable.
 */
export function loadConfig<S extends z.ZodTypeAny>(
  schema: S,
  source: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}
