import { RetryingLoad } from '../../e2e/support/retrying-load';

export type StatusCounts = Record<string, number>;

/** What a drill's clients did and saw: per command its final outcome, per attempt its status. */
export interface LoadFigures {
  sent: number;
  accepted: number;
  /** Business refusals (422), e.g. a withdrawal past the balance. */
  refused: number;
  /** Neither accepted nor refused: an unexpected answer or no answer before the client gave up. */
  failed: number;
  /** Every answer seen during the fault window, retries included, by HTTP status or network error code. */
  duringFault: StatusCounts;
  /** Answers that are not a success, a refusal or a proper 503 problem+json (first few). */
  unexpected: Array<{ path: string; status: number | string; body: string }>;
}

/**
 * Everything the drills got accepted by the command service, across drills: the store must hold exactly
 * these commands' events, and the read models their sums.
 */
export class CommandBook {
  readonly accounts: string[] = [];
  opened = 0;
  deposits = { n: 0, total: 0 };
  withdrawals = { n: 0, total: 0 };
  readonly transferIds: string[] = [];

  record(path: string, body: Record<string, unknown>, response: Record<string, unknown>): void {
    if (path === '/accounts') {
      this.opened++;
      this.accounts.push(response.accountId as string);
    } else if (path.endsWith('/deposits')) {
      this.deposits.n++;
      this.deposits.total += Number(body.amount);
    } else if (path.endsWith('/withdrawals')) {
      this.withdrawals.n++;
      this.withdrawals.total += Number(body.amount);
    } else if (path === '/transfers') this.transferIds.push(response.transferId as string);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;

function diff(after: Map<number | string, number>, before: Map<number | string, number>): StatusCounts {
  const counts: StatusCounts = {};
  for (const [status, n] of after)
    if (n - (before.get(status) ?? 0) > 0) counts[String(status)] = n - (before.get(status) ?? 0);
  return counts;
}

/**
 * An open-loop load of mixed commands (deposits, withdrawals, transfers) at `rate` per second over the
 * book's accounts, sent through a {@link RetryingLoad} so every retry reuses its Idempotency-Key. It never
 * waits for answers before sending the next command: a stalled system accumulates requests in flight,
 * as it would with real clients.
 */
export class MixedLoad {
  private readonly load: RetryingLoad;
  private sent = 0;
  private running = false;
  private generator: Promise<void> | undefined;
  private faultStart = new Map<number | string, number>();
  private faultEnd: Map<number | string, number> | undefined;
  /** Statuses of {@link once} requests (a fault window covers them too). */
  private readonly own = new Map<number | string, number>();

  constructor(
    private readonly commandUrl: string,
    private readonly authorization: string,
    private readonly book: CommandBook,
    private readonly rate: number,
    giveUpAfterMs = 90_000,
  ) {
    this.load = new RetryingLoad(commandUrl, authorization, giveUpAfterMs);
  }

  /** Sends one command now and waits for it to be accepted (set-up steps). */
  async sendNow(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.sent++;
    return this.load.sendNow(path, body);
  }

  /** Sends one command without waiting (open loop). */
  send(path: string, body: Record<string, unknown>): void {
    this.sent++;
    this.load.send(path, body);
  }

  /**
   * One request with a chosen Idempotency-Key and no retry, for drills that race requests themselves;
   * counted like the others, but recorded in the book by the drill (a replayed answer is not a new command).
   */
  async once(
    path: string,
    body: Record<string, unknown>,
    key: string,
  ): Promise<{ status: number | string; body: Record<string, unknown> }> {
    this.sent++;
    let status: number | string;
    let answer: Record<string, unknown> = {};
    try {
      const response = await fetch(`${this.commandUrl}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': key,
          authorization: this.authorization,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      status = response.status;
      answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    } catch (error) {
      status = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    }
    this.own.set(status, (this.own.get(status) ?? 0) + 1);
    return { status, body: answer };
  }

  /** Starts the open loop over `accounts` (each drill its own, so no account's stream grows without bound). */
  start(accounts: readonly string[]): void {
    this.running = true;
    const interval = 1000 / this.rate;
    this.generator = (async () => {
      const began = Date.now();
      for (let i = 0; this.running; i++) {
        const from = pick(accounts);
        const kind = Math.random();
        if (kind < 0.35)
          this.send(`/accounts/${from}/deposits`, { amount: 1 + Math.floor(Math.random() * 50) });
        else if (kind < 0.55)
          this.send(`/accounts/${from}/withdrawals`, { amount: 1 + Math.floor(Math.random() * 50) });
        else {
          const to = pick(accounts.filter((id) => id !== from));
          this.send('/transfers', {
            fromAccountId: from,
            toAccountId: to,
            amount: 1 + Math.floor(Math.random() * 100),
          });
        }
        // A fixed schedule, not a fixed pause: a slow event loop does not lower the rate.
        await sleep(Math.max(0, began + (i + 1) * interval - Date.now()));
      }
    })();
  }

  private statuses(): Map<number | string, number> {
    const all = new Map(this.load.statuses);
    for (const [status, n] of this.own) all.set(status, (all.get(status) ?? 0) + n);
    return all;
  }

  markFaultStart(): void {
    this.faultStart = this.statuses();
  }

  markFaultEnd(): void {
    this.faultEnd = this.statuses();
  }

  /** Stops sending, waits for every command to be answered, and records the accepted ones in the book. */
  async finish(): Promise<LoadFigures> {
    this.running = false;
    await this.generator;
    await this.load.settled();
    for (const { path, body, response } of this.load.accepted) this.book.record(path, body, response);
    const ownAccepted = [200, 201, 202].reduce((sum, status) => sum + (this.own.get(status) ?? 0), 0);
    const accepted = this.load.accepted.length + ownAccepted;
    const refused = this.load.count(422) + (this.own.get(422) ?? 0);
    return {
      sent: this.sent,
      accepted,
      refused,
      failed: this.sent - accepted - refused,
      duringFault: diff(this.faultEnd ?? this.statuses(), this.faultStart),
      unexpected: this.load.unexpected.slice(0, 10),
    };
  }
}
