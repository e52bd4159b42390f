import { composeSchemaProblems, interpolate, readCompose } from './support/compose';
import { composeProblems, environmentOf } from './support/compose-rules';
import { apps } from './support/fixtures';

// docker-compose.yml, checked offline: interpolated as Compose would without an .env file, validated
// against the Compose specification's JSON schema, then against what the apps expect.

describe('docker-compose.yml', () => {
  it('interpolates with no variable set, as every reference has a default', () => {
    const { compose, unresolved } = readCompose();
    expect(unresolved).toEqual([]);
    expect(Object.keys(compose.services).length).toBeGreaterThanOrEqual(10);
  });

  it('passes the Compose specification schema', () => {
    expect(composeSchemaProblems(readCompose().compose)).toEqual([]);
  });

  it('starts every server app and the setup once, with settings each app accepts, after setup', () => {
    expect(composeProblems(readCompose().compose, apps)).toEqual([]);
  });

  it('connects each app as its own database role and setup as the owner, never as the bootstrap superuser', () => {
    const { services } = readCompose().compose;
    const users = Object.fromEntries(
      Object.entries(services)
        .filter(([, service]) => environmentOf(service).DATABASE_URL)
        .map(([name, service]) => [name, new URL(environmentOf(service).DATABASE_URL).username]),
    );
    expect(users).toEqual({
      setup: 'ledger_owner',
      'command-service': 'ledger_command_service',
      'event-relay': 'ledger_event_relay',
      'transfer-saga': 'ledger_transfer_saga',
      'projector-accounts': 'ledger_projector_accounts',
      'projector-transfers': 'ledger_projector_transfers',
      'query-api': 'ledger_query_api',
      'ops-api': 'ledger_ops_api',
    });
    expect((services.postgres as { volumes?: string[] }).volumes).toContain(
      './scripts/db/docker-init.sh:/docker-entrypoint-initdb.d/10-ledger-roles.sh:ro',
    );
  });
});

describe('compose checks catch', () => {
  it('a reference without a default', () => {
    const unresolved: string[] = [];
    expect(interpolate({ ports: ['${PORT}:3000', '${HOST_PORT:-8080}:80', '$$HOME'] }, unresolved)).toEqual({
      ports: [':3000', '8080:80', '$HOME'],
    });
    expect(unresolved).toEqual(['PORT']);
  });

  it('a file the schema refuses', () => {
    const { compose } = readCompose();
    (compose.services.postgres as Record<string, unknown>).restart_policy = 'always';
    compose.services.kafka.ports = ['9092:tcp'];
    const problems = composeSchemaProblems(compose);
    expect(problems).toContain('/services/postgres must NOT have additional properties');
    expect(problems).toContain('/services/kafka/ports/0 must match format "ports"');
    expect(problems.every((problem) => /^\/services\/(postgres|kafka\/ports\/0) /.test(problem))).toBe(true);
  });

  it('an unknown app, a missing or misspelt setting, a missing dependency, an app not waiting for setup', () => {
    const { compose } = readCompose();
    compose.services['query-api'].command = ['node', 'dist/apps/query/src/main.js'];
    compose.services['event-relay'].environment = {
      ...(compose.services['event-relay'].environment as object),
      KAFKA_BROKER: 'kafka:9092',
    };
    delete (compose.services['command-service'].environment as Record<string, string>).DATABASE_URL;
    compose.services['transfer-saga'].depends_on = {
      setup: { condition: 'service_started' },
      redis: { condition: 'service_started' },
    };
    expect(composeProblems(compose, apps)).toEqual([
      'command-service: missing DATABASE_URL',
      'event-relay: KAFKA_BROKER is not a setting of event-relay',
      'transfer-saga: depends on redis, which is not a service',
      'transfer-saga: must wait for setup to complete successfully',
      'query-api: command ["node","dist/apps/query/src/main.js"] starts no app of nest-cli.json',
      '0 services start query-api, want 1',
    ]);
  });
});
