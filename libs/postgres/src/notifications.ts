import type { Client, ClientConfig } from 'pg';
import { createClient } from './connections';

export interface NotificationListenerOptions {
  /** Connection settings of the dedicated LISTEN connection. */
  readonly connection: ClientConfig;
  readonly channel: string;
  /** First pause before connecting again after the connection failed; doubled up to `maxRetryMs`. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  /** Told when the connection fails or comes back (for a log line); never throws. */
  readonly onState?: (state: 'listening' | 'lost', error?: Error) => void;
}

const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * One dedicated connection that LISTENs on a channel and wakes whoever waits for the next notification.
 * It is a hint, never a source of truth: a waiter always passes a bound (`wait(ms)`) and looks at the
 * data itself afterwards. The connection heals by itself: when Postgres restarts or the connection drops,
 * it connects again with a growing pause, and meanwhile waits simply run to their bound.
 */
export class NotificationListener {
  private client: Client | undefined;
  private wakers = new Set<() => void>();
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private listeningNow = false;

  constructor(private readonly options: NotificationListenerOptions) {
    if (!CHANNEL_NAME.test(options.channel))
      throw new Error(`"${options.channel}" is not a channel name (lower-case letters, digits, _)`);
  }

  /** Whether the connection is listening right now. */
  get listening(): boolean {
    return this.listeningNow;
  }

  /** Starts connecting; resolves after the first attempt, whether or not it succeeded. */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Resolves at the next notification on the channel, or after `ms`, whichever comes first. */
  wait(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    for (const wake of [...this.wakers]) wake();
    const client = this.client;
    this.client = undefined;
    this.listeningNow = false;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = createClient(this.options.connection, (error) => this.lost(client, error));
    this.client = client;
    client.on('notification', () => {
      for (const wake of [...this.wakers]) wake();
    });
    client.on('end', () => this.lost(client, new Error('the notification connection ended')));
    try {
      await client.connect();
      await client.query(`listen ${this.options.channel}`);
    } catch (error) {
      this.lost(client, error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.client !== client) return;
    this.failures = 0;
    this.listeningNow = true;
    this.options.onState?.('listening');
    // Anything committed while the connection was down was not heard: let the waiters look now.
    for (const wake of [...this.wakers]) wake();
  }

  private lost(client: Client, error: Error): void {
    if (this.closed || this.client !== client) return;
    const wasListening = this.listeningNow;
    this.client = undefined;
    this.listeningNow = false;
    client.end().catch(() => undefined);
    const retryMs = this.options.retryMs ?? 100;
    const delay = Math.min(retryMs * 2 ** this.failures++, this.options.maxRetryMs ?? 5_000);
    // Told once per outage, not at every attempt to connect again.
    if (wasListening || this.failures === 1) this.options.onState?.('lost', error);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }
}
