import { createClient } from '@ledger/postgres';
import type { Client } from 'pg';
import { sleep } from '@ledger/runtime';
import { LeadershipLostError, type LeaderLock, type Leadership } from './leadership';
import { errorContext, silentLogger, type RuntimeLogger } from '@ledger/runtime';

export interface PostgresLeaderLockOptions {
  /** A direct connection: a transaction-mode pooler would hand the session lock to other clients. */
  readonly connectionString: string;
  /** Instances sharing this name elect one leader. */
  readonly lockName: string;
  /** Shown in pg_stat_activity, so an operator can see which instance holds the lock. */
  readonly applicationName?: string;
  /** How often a standby tries to take the lock (default 1000 ms). */
  readonly retryIntervalMs?: number;
  /** How often the leader proves its lock connection alive (default 1000 ms). */
  readonly heartbeatIntervalMs?: number;
  /** A lock query slower than this counts as a lost lock (default 2000 ms). */
  readonly queryTimeoutMs?: number;
  readonly logger?: RuntimeLogger;
}

// The server drops a silent client's session, and so its lock, after about 10 s (idle 5 s + 3 probes 2 s
// apart, or 10 s of unacknowledged data). The client gives up after one heartbeat interval plus the query
// timeout (3 s by default), so a cut-off leader stops before a standby can take over.
const SESSION_SETTINGS =
  'set tcp_keepalives_idle = 5; set tcp_keepalives_interval = 2; set tcp_keepalives_count = 3; set tcp_user_timeout = 10000';
const TRY_LOCK = 'select pg_try_advisory_lock(hashtextextended($1, 0)) as acquired';
const UNLOCK = 'select pg_advisory_unlock(hashtextextended($1, 0))';
// The connection is dedicated to the lock, so any advisory lock it holds is this one.
const HELD = `select exists (select 1 from pg_locks where locktype = 'advisory' and pid = pg_backend_pid() and granted) as held`;

/**
 * Leader election with a Postgres session-level advisory lock on a dedicated connection: the lock lives
 * exactly as long as the session, so a crashed or cut-off leader frees it without any cleanup.
 */
export class PostgresLeaderLock implements LeaderLock {
  private readonly logger: RuntimeLogger;

  constructor(private readonly options: PostgresLeaderLockOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  async acquire(signal: AbortSignal): Promise<Leadership | undefined> {
    let client: Client | undefined;
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        client ??= await this.connect();
        const { rows } = await client.query<{ acquired: boolean }>(TRY_LOCK, [this.options.lockName]);
        if (rows[0]?.acquired) return new PostgresLeadership(client, this.options, this.logger);
        if (attempt === 0)
          this.logger.info({ lockName: this.options.lockName }, 'relay lock held elsewhere; standing by');
      } catch (error) {
        this.logger.warn(
          { lockName: this.options.lockName, ...errorContext(error) },
          'cannot try the relay lock',
        );
        await client?.end().catch(() => undefined);
        client = undefined;
      }
      await sleep(this.options.retryIntervalMs ?? 1_000, signal);
    }
    await client?.end().catch(() => undefined);
    return undefined;
  }

  private async connect(): Promise<Client> {
    const client = createClient(
      {
        connectionString: this.options.connectionString,
        application_name: this.options.applicationName ?? 'ledger-relay-lock',
        keepAlive: true,
        connectionTimeoutMillis: 5_000,
        query_timeout: this.options.queryTimeoutMs ?? 2_000,
      },
      (error) => this.logger.debug(errorContext(error), 'relay lock connection failed'),
    );
    try {
      await client.connect();
      await client.query(SESSION_SETTINGS);
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }
}

class PostgresLeadership implements Leadership {
  private readonly controller = new AbortController();
  private heartbeat: NodeJS.Timeout | undefined;
  private released = false;
  readonly lost = this.controller.signal;

  constructor(
    private readonly client: Client,
    private readonly options: PostgresLeaderLockOptions,
    private readonly logger: RuntimeLogger,
  ) {
    client.on('error', (error) => this.markLost(error));
    client.on('end', () => this.markLost(new Error('lock connection closed')));
    this.scheduleHeartbeat();
  }

  async assertHeld(): Promise<void> {
    if (this.lost.aborted) throw this.lost.reason;
    try {
      const { rows } = await this.client.query<{ held: boolean }>(HELD);
      if (!rows[0]?.held) throw new Error('the lock session no longer holds the lock');
    } catch (error) {
      this.markLost(error);
      throw this.lost.reason;
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearTimeout(this.heartbeat);
    if (!this.lost.aborted) await this.client.query(UNLOCK, [this.options.lockName]).catch(() => undefined);
    this.controller.abort(new LeadershipLostError(this.options.lockName, new Error('released')));
    await this.client.end().catch(() => undefined);
  }

  private scheduleHeartbeat(): void {
    this.heartbeat = setTimeout(() => {
      this.assertHeld().then(
        () => this.scheduleHeartbeat(),
        () => undefined,
      );
    }, this.options.heartbeatIntervalMs ?? 1_000);
    this.heartbeat.unref();
  }

  private markLost(cause: unknown): void {
    if (this.lost.aborted) return;
    clearTimeout(this.heartbeat);
    if (!this.released)
      this.logger.error({ lockName: this.options.lockName, ...errorContext(cause) }, 'relay lock lost');
    this.controller.abort(new LeadershipLostError(this.options.lockName, cause));
  }
}
