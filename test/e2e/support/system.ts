import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import request from 'supertest';
import type { Role } from '@ledger/auth';
import {
  createTestDatabase,
  kafkaBrokers,
  TcpProxy,
  TestDatabase,
  testAuthFileEnv,
  testToken,
  waitFor,
  type DatabaseLogin,
} from '@ledger/testing';

const ROOT = join(__dirname, '../../..');
const LOGS = join(ROOT, '.stack/logs/e2e');
const run = promisify(execFile);

export const APPS = [
  'command-service',
  'event-relay',
  'transfer-saga',
  'projector-accounts',
  'projector-transfers',
  'query-api',
  'ops-api',
] as const;
export type AppName = (typeof APPS)[number];

/** Each app connects as its own least-privileged role; ops-cli (setup, migrations) as the schema owner. */
const LOGIN: Record<AppName, DatabaseLogin> = {
  'command-service': 'command_service',
  'event-relay': 'event_relay',
  'transfer-saga': 'transfer_saga',
  'projector-accounts': 'projector_accounts',
  'projector-transfers': 'projector_transfers',
  'query-api': 'query_api',
  'ops-api': 'ops_api',
};

export interface SystemOptions {
  /** The apps reach the database through this proxy, so a test can take the database away from them. */
  databaseThrough?: TcpProxy;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * The whole system as separate processes, built from dist/, on a fresh database and its own Kafka topic
 * and consumer-group namespace (KAFKA_TOPIC_PREFIX), so runs never see each other's events.
 */
export class RunningSystem {
  private readonly processes = new Map<AppName, ChildProcess>();
  /** Clients of the two APIs sending the default test token (role admin) with every request. */
  readonly command: ReturnType<typeof request.agent>;
  readonly query: ReturnType<typeof request.agent>;
  /** The ops API (dead letters) and the console it serves. */
  readonly opsApi: ReturnType<typeof request.agent>;
  readonly sql: Pool;
  /** Verification settings of the test key pair, given to every app. */
  private readonly authEnv = testAuthFileEnv();

  private constructor(
    readonly database: TestDatabase,
    readonly prefix: string,
    readonly ports: Record<AppName, number>,
    private readonly extraEnv: Record<string, string>,
    private readonly options: SystemOptions,
    /** `Bearer <default test token>`, for clients other than supertest (benchmarks). */
    readonly authorization: string,
  ) {
    this.command = request
      .agent(`http://127.0.0.1:${ports['command-service']}`)
      .set('Authorization', authorization);
    this.query = request.agent(`http://127.0.0.1:${ports['query-api']}`).set('Authorization', authorization);
    this.opsApi = request.agent(this.url('ops-api')).set('Authorization', authorization);
    this.sql = new Pool({ connectionString: database.url, max: 3 });
  }

  /** Clients of the command service and the query API acting as `subject` with `role`. */
  async as(subject: string, role: Role) {
    const authorization = `Bearer ${await testToken(subject, role)}`;
    return {
      command: request
        .agent(`http://127.0.0.1:${this.ports['command-service']}`)
        .set('Authorization', authorization),
      query: request.agent(`http://127.0.0.1:${this.ports['query-api']}`).set('Authorization', authorization),
    };
  }

  static async start(
    extraEnv: Record<string, string> = {},
    options: SystemOptions = {},
  ): Promise<RunningSystem> {
    const database = await createTestDatabase('e2e');
    const prefix = `e2e-${randomBytes(4).toString('hex')}.`;
    const ports = {} as Record<AppName, number>;
    for (const app of APPS) ports[app] = await freePort();
    const system = new RunningSystem(
      database,
      prefix,
      ports,
      extraEnv,
      options,
      `Bearer ${await testToken()}`,
    );
    process.once('exit', system.killOnExit);
    await system.setup();
    for (const app of APPS) system.startApp(app);
    await Promise.all(APPS.map((app) => system.waitReady(app)));
    return system;
  }

  url(app: AppName): string {
    return `http://127.0.0.1:${this.ports[app]}`;
  }

  env(app?: AppName): NodeJS.ProcessEnv {
    return {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info',
      DATABASE_URL: ((url: string) => this.options.databaseThrough?.urlThrough(url) ?? url)(
        this.database.urlAs(app ? LOGIN[app] : 'owner'),
      ),
      KAFKA_TOPIC_PREFIX: this.prefix,
      COMMAND_PORT: String(this.ports['command-service']),
      QUERY_PORT: String(this.ports['query-api']),
      OPS_API_PORT: String(this.ports['ops-api']),
      // The console (served by ops-api) calls both APIs from the browser.
      HTTP_CORS_ORIGINS: this.url('ops-api'),
      CONSOLE_QUERY_API_URL: this.url('query-api'),
      CONSOLE_COMMAND_API_URL: this.url('command-service'),
      OPS_PORT: app ? String(this.ports[app]) : '0',
      RETRY_DELAYS_MS: '200,500',
      ...this.authEnv,
      ...this.extraEnv,
    };
  }

  async ops(args: string[], timeoutMs = 120_000): Promise<string> {
    try {
      const { stdout } = await run('node', [join(ROOT, 'dist/apps/ops-cli/src/main.js'), ...args], {
        env: this.env(),
        cwd: ROOT,
        timeout: timeoutMs,
      });
      return stdout;
    } catch (error) {
      const { killed, stdout, stderr } = error as { killed?: boolean; stdout?: string; stderr?: string };
      if (!killed) throw error;
      throw new Error(
        `ops-cli ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
      );
    }
  }

  /**
   * `ops-cli setup` for this system (idempotent). Once in a full run it did not finish within the suite's
   * two minutes and left no trace; a run that takes over a minute is now stopped, reported with the output
   * it had, and run once more.
   */
  private async setup(): Promise<void> {
    const args = ['setup', '--partitions', '3'];
    try {
      await this.ops(args, 60_000);
    } catch (error) {
      console.warn(`${(error as Error).message}\nrunning it again`);
      await this.ops(args, 60_000);
    }
  }

  startApp(app: AppName): void {
    mkdirSync(LOGS, { recursive: true });
    const log = createWriteStream(join(LOGS, `${this.prefix}${app}.log`), { flags: 'a' });
    // E2E_NODE_ARGS: flags for every app's node (e.g. `--cpu-prof`, which NODE_OPTIONS refuses).
    const nodeArgs = process.env.E2E_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn('node', [...nodeArgs, join(ROOT, `dist/apps/${app}/src/main.js`)], {
      env: this.env(app),
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.processes.set(app, child);
  }

  /** The operating-system process id of a running app (benchmarks read its CPU time and memory). */
  pid(app: AppName): number | undefined {
    return this.running(app) ? this.processes.get(app)?.pid : undefined;
  }

  /** Whether the app's process is still running (it has not exited since it was started). */
  running(app: AppName): boolean {
    const child = this.processes.get(app);
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** Ends every app if the test process exits without stopping the system (a crash, an early exit). */
  private killOnExit = () => {
    for (const child of this.processes.values()) if (child.exitCode === null) child.kill('SIGKILL');
  };

  async waitReady(app: AppName, timeoutMs = 60_000): Promise<void> {
    await waitFor(
      async () => {
        const child = this.processes.get(app);
        if (child?.exitCode !== null && child?.exitCode !== undefined)
          throw new Error(`${app} exited with ${child.exitCode}; see .stack/logs/e2e`);
        const response = await fetch(`http://127.0.0.1:${this.ports[app]}/health/ready`);
        return response.ok;
      },
      { timeoutMs, what: `${app} ready` },
    );
  }

  /** Stops an app: SIGTERM drains, SIGKILL is a crash. */
  async stopApp(app: AppName, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.processes.get(app);
    // A process ended by a signal has no exit code but a signal code; either way it will not exit again.
    if (!child || !this.running(app)) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  /** Sends a signal without waiting for an exit: SIGSTOP freezes the process, SIGCONT lets it run on. */
  signalApp(app: AppName, signal: NodeJS.Signals): void {
    this.processes.get(app)?.kill(signal);
  }

  async restartApp(app: AppName): Promise<void> {
    this.startApp(app);
    await this.waitReady(app);
  }

  async stop(): Promise<void> {
    await Promise.all(APPS.map((app) => this.stopApp(app)));
    process.removeListener('exit', this.killOnExit);
    await this.sql.end();
    await this.database.drop();
    const kafka = new Kafka({ clientId: 'e2e-cleanup', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(this.prefix));
      if (topics.length > 0) await admin.deleteTopics({ topics });
    } finally {
      await admin.disconnect();
    }
  }
}
