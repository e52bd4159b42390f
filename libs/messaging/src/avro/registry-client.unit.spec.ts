import { baseEnvSchema, ConfigError, loadConfig } from '@ledger/config';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RegistryAdmin } from '@ledger/schemas';
import {
  createSchemaRegistry,
  registryAuthHeaders,
  registryClientArgs,
  registryConnectionFrom,
} from './registry-client';

// Registry clients from the configuration: basic auth when configured, and every client sends it. A local
// HTTP server stands in for the registry, to see the headers each client really sends.

const connectionOf = (env: Record<string, string>) =>
  registryConnectionFrom(loadConfig(baseEnvSchema, env), (path) =>
    path === '/secrets/registry/password' ? 'file-pw\n' : '',
  );

describe('schema-registry client options from the configuration', () => {
  it('carries no credentials by default', () => {
    const connection = connectionOf({});
    expect(connection).toEqual({ url: 'http://127.0.0.1:8081/apis/ccompat/v7' });
    expect(registryClientArgs(connection)).toEqual({ host: 'http://127.0.0.1:8081/apis/ccompat/v7' });
    expect(registryAuthHeaders(connection)).toEqual({});
  });

  it('adds basic auth, the password from the environment or a mounted file', () => {
    const env = { SCHEMA_REGISTRY_URL: 'https://registry.example:8081', SCHEMA_REGISTRY_USERNAME: 'ledger' };
    expect(registryClientArgs(connectionOf({ ...env, SCHEMA_REGISTRY_PASSWORD: 'pw' }))).toEqual({
      host: 'https://registry.example:8081',
      auth: { username: 'ledger', password: 'pw' },
    });
    const fromFile = connectionOf({ ...env, SCHEMA_REGISTRY_PASSWORD_FILE: '/secrets/registry/password' });
    expect(fromFile.auth).toEqual({ username: 'ledger', password: 'file-pw' });
    expect(registryAuthHeaders(fromFile)).toEqual({
      Authorization: `Basic ${Buffer.from('ledger:file-pw').toString('base64')}`,
    });
  });

  it('refuses a username without a password', () => {
    expect(() => connectionOf({ SCHEMA_REGISTRY_USERNAME: 'ledger' })).toThrow(ConfigError);
    expect(() => connectionOf({ SCHEMA_REGISTRY_USERNAME: 'ledger' })).toThrow(
      'SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD go together',
    );
  });

  describe('sent by every client', () => {
    let server: Server;
    const seen: IncomingHttpHeaders[] = [];
    let url: string;
    const expected = `Basic ${Buffer.from('ledger:pw').toString('base64')}`;

    beforeAll(async () => {
      server = createServer((request, response) => {
        seen.push(request.headers);
        response.writeHead(200, { 'Content-Type': 'application/vnd.schemaregistry.v1+json' });
        response.end(JSON.stringify({ id: 7, version: 1, compatibilityLevel: 'BACKWARD' }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));
    beforeEach(() => seen.splice(0));

    it('the Confluent client (codec, setup)', async () => {
      const registry = createSchemaRegistry({ url, auth: { username: 'ledger', password: 'pw' } });
      await registry.getRegistryId('subject', 1);
      expect(seen.map((headers) => headers.authorization)).toEqual([expected]);
    });

    it('the administrative client', async () => {
      const headers = registryAuthHeaders({ url, auth: { username: 'ledger', password: 'pw' } });
      await new RegistryAdmin(url, 2_000, headers).subjectCompatibility('subject');
      expect(seen.map((h) => h.authorization)).toEqual([expected]);
    });
  });
});
