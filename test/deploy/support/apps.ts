import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './manifests';

interface NestProject {
  type: 'application' | 'library';
  root: string;
  entryFile?: string;
}

/**
 * The applications nest-cli.json declares, with the file the build emits for each: the image runs
 * `node dist/<root>/src/<entryFile>.js`.
 */
export function declaredApps(): Map<string, string> {
  const config = JSON.parse(readFileSync(join(REPO_ROOT, 'nest-cli.json'), 'utf8')) as {
    projects: Record<string, NestProject>;
  };
  const apps = new Map<string, string>();
  for (const [name, project] of Object.entries(config.projects)) {
    if (project.type === 'application')
      apps.set(name, `dist/${project.root}/src/${project.entryFile ?? 'main'}.js`);
  }
  return apps;
}

export interface AppCommand {
  app: string;
  args: string[];
}

/** Which declared app a `node <entry> [args]` command starts; undefined when it starts none. */
export function appOfCommand(command: unknown, apps: Map<string, string>): AppCommand | undefined {
  if (!Array.isArray(command) || command[0] !== 'node' || typeof command[1] !== 'string') return undefined;
  const entry = command[1];
  for (const [app, entryFile] of apps) {
    if (entry === entryFile) return { app, args: command.slice(2).map(String) };
  }
  return undefined;
}

/** The one command that is not an app's server: migrations, schema registration and topics. */
export const isSetupCommand = (command: AppCommand | undefined) =>
  command?.app === 'ops-cli' && command.args[0] === 'setup';

/** One-shot ops-cli commands that touch neither the database nor Kafka (the local signing key). */
export const isOfflineOpsCommand = (command: AppCommand | undefined) =>
  command?.app === 'ops-cli' && command.args[0] === 'keys-init';

/** The variable each app reads its listening port from (its config schema). */
export const PORT_VARIABLE: Record<string, string> = {
  'command-service': 'COMMAND_PORT',
  'query-api': 'QUERY_PORT',
  'ops-api': 'OPS_API_PORT',
  'event-relay': 'OPS_PORT',
  'transfer-saga': 'OPS_PORT',
  'projector-accounts': 'OPS_PORT',
  'projector-transfers': 'OPS_PORT',
};

/** Variables whose defaults point at the local stack, so every deployed app must be given them. */
export const REQUIRED_VARIABLES = ['DATABASE_URL', 'KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL'];
