import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { secretValue, TransportConfigError, type ReadSecretFile } from '../kafka/security';

/** The registry settings of every app's configuration (libs/config), by their variable names. */
export interface RegistrySettings {
  readonly SCHEMA_REGISTRY_URL: string;
  readonly SCHEMA_REGISTRY_USERNAME?: string;
  readonly SCHEMA_REGISTRY_PASSWORD?: string;
  readonly SCHEMA_REGISTRY_PASSWORD_FILE?: string;
}

export interface RegistryAuth {
  readonly username: string;
  readonly password: string;
}

/** Where the registry is and how to authenticate: every registry client (codec, admin, health check) takes it. */
export interface RegistryConnection {
  readonly url: string;
  readonly auth?: RegistryAuth;
}

/** The registry's address and basic-auth credentials from the configuration; no credentials by default. */
export function registryConnectionFrom(
  settings: RegistrySettings,
  read?: ReadSecretFile,
): RegistryConnection {
  const password = secretValue(
    settings.SCHEMA_REGISTRY_PASSWORD,
    settings.SCHEMA_REGISTRY_PASSWORD_FILE,
    'SCHEMA_REGISTRY_PASSWORD',
    read,
  );
  const username = settings.SCHEMA_REGISTRY_USERNAME;
  if ((username === undefined) !== (password === undefined)) {
    throw new TransportConfigError('SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD go together');
  }
  return {
    url: settings.SCHEMA_REGISTRY_URL,
    ...(username && password ? { auth: { username, password } } : {}),
  };
}

/** A registry connection from a bare URL or a full connection. */
export const toRegistryConnection = (registry: string | RegistryConnection): RegistryConnection =>
  typeof registry === 'string' ? { url: registry } : registry;

/** The Authorization header for fetch-based registry calls; empty without credentials. */
export function registryAuthHeaders(registry: string | RegistryConnection): Record<string, string> {
  const { auth } = toRegistryConnection(registry);
  if (!auth) return {};
  return { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
}

/** The Confluent client's arguments: host plus basic auth when configured. */
export function registryClientArgs(
  registry: string | RegistryConnection,
): ConstructorParameters<typeof SchemaRegistry>[0] {
  const { url, auth } = toRegistryConnection(registry);
  return { host: url, ...(auth ? { auth: { username: auth.username, password: auth.password } } : {}) };
}

/** The Confluent client for `registry`, authenticated when configured. */
export const createSchemaRegistry = (registry: string | RegistryConnection) =>
  new SchemaRegistry(registryClientArgs(registry));
