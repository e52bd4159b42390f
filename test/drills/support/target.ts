import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { schemaRegistryUrl, TcpProxy } from '@ledger/testing';
import { APPS, AppName, RunningSystem } from '../../e2e/support/system';
import type { CheckedSystem } from './invariants';

const run = promisify(execFile);
const ROOT = join(__dirname, '../../..');

/** Control over the apps' processes, which only a system the drills started has. */
export interface ProcessControl {
  kill(app: AppName, signal?: NodeJS.Signals): Promise<void>;
  signal(app: AppName, signal: NodeJS.Signals): void;
  restart(app: AppName): Promise<void>;
  running(app: AppName): boolean;
}

/** The system under drill: what the checks need, plus the levers faults pull. */
export interface DrillTarget extends CheckedSystem {
  /** Where this system is: `harness` (started by the drills) or `external` (URLs given). */
  kind: 'harness' | 'external';
  /** The system's Kafka topic and consumer-group prefix. */
  prefix: string;
  processes?: ProcessControl;
  /** The apps reach Postgres / the registry through these, so a drill can take them away. */
  databaseProxy?: TcpProxy;
  registryProxy?: TcpProxy;
  /** The database's name, for pg_terminate_backend on its own sessions only. */
  databaseName?: string;
  stop(): Promise<void>;
}

/** The checks' view of a system the e2e harness runs. */
export function checkedSystem(system: RunningSystem): CheckedSystem {
  const url = (app: AppName) => `http://127.0.0.1:${system.ports[app]}`;
  return {
    sql: system.sql,
    commandUrl: url('command-service'),
    queryUrl: url('query-api'),
    authorization: system.authorization,
    appUrls: Object.fromEntries(APPS.map((app) => [app, url(app)])),
    ops: (args) => system.ops(args),
  };
}

/**
 * Starts the whole system with the e2e harness on its own database and topic prefix, its apps reaching
 * Postgres and the registry through proxies the drills can stop; the shared stack is untouched.
 */
export async function startHarnessTarget(extraEnv: Record<string, string> = {}): Promise<DrillTarget> {
  const pg = new URL(process.env.DATABASE_URL ?? 'postgres://127.0.0.1:5432/ledger');
  const databaseProxy = await TcpProxy.to(pg.hostname, Number(pg.port || 5432));
  const registry = new URL(schemaRegistryUrl());
  const registryProxy = await TcpProxy.to(registry.hostname, Number(registry.port || 80));
  const system = await RunningSystem.start(
    {
      SCHEMA_REGISTRY_URL: registryProxy.urlThrough(schemaRegistryUrl()),
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
      ...extraEnv,
    },
    { databaseThrough: databaseProxy },
  );
  // Idle sessions of the checks' pool die with a Postgres restart; the next query opens a new one.
  system.sql.on('error', () => undefined);
  return {
    kind: 'harness',
    prefix: system.prefix,
    ...checkedSystem(system),
    processes: {
      kill: (app, signal = 'SIGKILL') => system.stopApp(app, signal),
      signal: (app, signal) => system.signalApp(app, signal),
      restart: (app) => system.restartApp(app),
      running: (app) => system.running(app),
    },
    databaseProxy,
    registryProxy,
    databaseName: system.database.name,
    async stop() {
      await databaseProxy.start();
      await registryProxy.start();
      await system.stop();
      await databaseProxy.stop();
      await registryProxy.stop();
    },
  };
}

export interface ExternalTargetOptions {
  commandUrl: string;
  queryUrl: string;
  /** The system's database as its owner or a superuser (the checks read the store and read models). */
  databaseUrl: string;
  /** `Bearer …` with the admin role. */
  authorization: string;
  prefix: string;
  /** app=url of each app's operations port, for readiness. */
  appUrls: Record<string, string>;
}

/** A system already running elsewhere: load, checks and stack-level faults only (no process control). */
export function externalTarget(options: ExternalTargetOptions): DrillTarget {
  const sql = new Pool({ connectionString: options.databaseUrl, max: 3 });
  sql.on('error', () => undefined);
  return {
    kind: 'external',
    prefix: options.prefix,
    sql,
    commandUrl: options.commandUrl,
    queryUrl: options.queryUrl,
    authorization: options.authorization,
    appUrls: options.appUrls,
    async ops(args) {
      const { stdout } = await run('node', [join(ROOT, 'dist/apps/ops-cli/src/main.js'), ...args], {
        env: { ...process.env, DATABASE_URL: options.databaseUrl, KAFKA_TOPIC_PREFIX: options.prefix },
        cwd: ROOT,
        maxBuffer: 64 * 1024 * 1024,
      });
      return stdout;
    },
    stop: () => sql.end(),
  };
}
