import { randomUUID } from 'node:crypto';

/** One answer a client saw, kept when it is not one a client of a healthy-or-recovering ledger expects. */
export interface Unexpected {
  path: string;
  status: number | string;
  body: string;
}

const EXPECTED = new Set([200, 201, 202, 422]);

/**
 * An open-loop load of commands against the command service, each with its own Idempotency-Key and
 * retried with it after a 503 (waiting Retry-After), the way a well-behaved client does. It records every
 * status it saw and everything that is not a success, a business refusal (422) or a proper 503
 * problem+json: a 500, a non-problem 503, a refused connection (a dead process), a request that hangs.
 */
export class RetryingLoad {
  readonly statuses = new Map<number | string, number>();
  readonly unexpected: Unexpected[] = [];
  readonly accepted: Array<{
    path: string;
    body: Record<string, unknown>;
    response: Record<string, unknown>;
  }> = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly baseUrl: string,
    /** `Bearer <token>` sent with every command. */
    private readonly authorization: string,
    private readonly giveUpAfterMs = 60_000,
  ) {}

  /** Sends without waiting for the answer (open loop). */
  send(path: string, body: Record<string, unknown>): void {
    const sending = this.sendUntilAnswered(path, body).finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  /** Sends and waits, for set-up steps. */
  async sendNow(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const before = this.accepted.length;
    await this.sendUntilAnswered(path, body);
    const answer = this.accepted.slice(before).find((entry) => entry.path === path && entry.body === body);
    if (!answer) throw new Error(`POST ${path} was not accepted: ${JSON.stringify(this.unexpected.at(-1))}`);
    return answer.response;
  }

  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  count(status: number | string): number {
    return this.statuses.get(status) ?? 0;
  }

  private seen(status: number | string): void {
    this.statuses.set(status, this.count(status) + 1);
  }

  private async sendUntilAnswered(path: string, body: Record<string, unknown>): Promise<void> {
    const key = randomUUID();
    const deadline = Date.now() + this.giveUpAfterMs;
    while (Date.now() < deadline) {
      let response: Response;
      try {
        response = await fetch(`${this.baseUrl}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': key,
            authorization: this.authorization,
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        this.seen(cause);
        this.unexpected.push({ path, status: cause, body: (error as Error).message });
        await sleep(500);
        continue;
      }
      const text = await response.text();
      this.seen(response.status);
      if (response.status === 503) {
        const problem = parse(text);
        const proper =
          response.headers.get('content-type')?.includes('application/problem+json') &&
          problem?.code === 'DATABASE_UNAVAILABLE' &&
          Number(response.headers.get('retry-after')) > 0;
        if (!proper) this.unexpected.push({ path, status: 503, body: text });
        await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000 * Math.random() + 100);
        continue;
      }
      if (!EXPECTED.has(response.status)) this.unexpected.push({ path, status: response.status, body: text });
      else if (response.status !== 422) this.accepted.push({ path, body, response: parse(text) ?? {} });
      return;
    }
    this.unexpected.push({
      path,
      status: 'gave up',
      body: `no answer but 503 within ${this.giveUpAfterMs} ms`,
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parse(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
