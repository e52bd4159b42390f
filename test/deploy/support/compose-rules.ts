import { appConfigProblems } from './app-config';
import { appOfCommand, isOfflineOpsCommand, isSetupCommand, PORT_VARIABLE, REQUIRED_VARIABLES } from './apps';
import type { ComposeFile, ComposeService } from './compose';

/** Services built from this repository (the ledger image), as opposed to Postgres, Kafka and the registry. */
const isLedgerService = (service: ComposeService) =>
  service.build !== undefined || /^ledger(:|$)/.test(service.image ?? '');

/** Compose's two spellings of an environment (map or KEY=VALUE list) as one map of strings. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const entries = Array.isArray(service.environment)
    ? service.environment.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)])
    : Object.entries(service.environment ?? {}).map(([key, value]) => [
        key,
        value === null ? '' : String(value),
      ]);
  return Object.fromEntries(entries);
}

const dependenciesOf = (service: ComposeService): Record<string, string> =>
  Array.isArray(service.depends_on)
    ? Object.fromEntries(service.depends_on.map((name) => [name, 'service_started']))
    : Object.fromEntries(
        Object.entries(service.depends_on ?? {}).map(([name, { condition }]) => [name, condition]),
      );

/**
 * Each ledger service starts a declared app (or `ops-cli setup`) with settings its config schema accepts,
 * after setup has completed; every dependency exists and can meet the condition asked of it.
 */
export function composeProblems(compose: ComposeFile, apps: Map<string, string>): string[] {
  const services = compose.services;
  const problems: string[] = [];
  const started: string[] = [];
  for (const [name, service] of Object.entries(services)) {
    for (const [dependency, condition] of Object.entries(dependenciesOf(service))) {
      const target = services[dependency];
      if (!target) problems.push(`${name}: depends on ${dependency}, which is not a service`);
      else if (condition === 'service_healthy' && !target.healthcheck)
        problems.push(`${name}: ${dependency} has no healthcheck`);
    }
    if (!isLedgerService(service)) continue;
    const command = appOfCommand(service.command, apps);
    if (!command) {
      problems.push(`${name}: command ${JSON.stringify(service.command)} starts no app of nest-cli.json`);
      continue;
    }
    if (isOfflineOpsCommand(command)) continue;
    started.push(isSetupCommand(command) ? 'setup' : command.app);
    const environment = environmentOf(service);
    const missing = REQUIRED_VARIABLES.filter((variable) => !environment[variable]);
    if (missing.length > 0) problems.push(`${name}: missing ${missing.join(', ')}`);
    problems.push(...appConfigProblems(command.app, environment).map((problem) => `${name}: ${problem}`));
    if (!isSetupCommand(command)) problems.push(...serverProblems(name, command.app, service));
  }
  for (const wanted of ['setup', ...Object.keys(PORT_VARIABLE)]) {
    const count = started.filter((app) => app === wanted).length;
    if (count !== 1) problems.push(`${count} services start ${wanted}, want 1`);
  }
  return problems;
}

function serverProblems(name: string, app: string, service: ComposeService): string[] {
  const problems: string[] = [];
  const setup = Object.entries(dependenciesOf(service)).find(([dependency]) => dependency === 'setup');
  if (setup?.[1] !== 'service_completed_successfully')
    problems.push(`${name}: must wait for setup to complete successfully`);
  const port = environmentOf(service)[PORT_VARIABLE[app]];
  const published = (service.ports ?? []).map((p) =>
    typeof p === 'object' ? p.target : Number(String(p).split(':').pop()),
  );
  if (published.length > 0 && !published.includes(Number(port)))
    problems.push(`${name}: publishes ${published.join(', ')}, not ${PORT_VARIABLE[app]}`);
  return problems;
}
