import { waitFor } from '@ledger/testing';
import type { RunningSystem } from './system';

/** REST calls a client of the ledger makes, with read-your-writes through the consistency token. */
export class LedgerClient {
  constructor(private readonly system: RunningSystem) {}

  async openAccount(
    body: Record<string, unknown> = {},
  ): Promise<{ accountId: string; globalPosition: number }> {
    const response = await this.system.command
      .post('/accounts')
      .send({ ownerId: 'e2e', currency: 'EUR', ...body })
      .expect(201);
    return response.body;
  }

  async command(
    path: string,
    body: object = {},
    expected = 200,
  ): Promise<{ globalPosition: number; version: number; transferId?: string }> {
    const response = await this.system.command.post(path).send(body);
    if (response.status !== expected) {
      throw new Error(
        `POST ${path} answered ${response.status}, expected ${expected}: ${JSON.stringify(response.body)}`,
      );
    }
    return response.body;
  }

  /** GET on the query API that waits (bounded) until the projections reached `minPosition`. */
  async read<T = Record<string, unknown>>(path: string, minPosition?: number): Promise<T> {
    const url =
      minPosition === undefined ? path : `${path}${path.includes('?') ? '&' : '?'}minPosition=${minPosition}`;
    return waitFor(
      async () => {
        const response = await this.system.query.get(url);
        if (response.status === 503) return undefined;
        if (response.status !== 200)
          throw new Error(`GET ${url} answered ${response.status}: ${JSON.stringify(response.body)}`);
        return response.body as T;
      },
      { timeoutMs: 30_000, what: `GET ${url}` },
    );
  }

  /** Polls a transfer until it reaches a final status. */
  async settledTransfer(
    transferId: string,
  ): Promise<{ status: string; failureStage: string | null; failureReason: string | null }> {
    return waitFor(
      async () => {
        const response = await this.system.query.get(`/transfers/${transferId}`);
        return response.status === 200 && ['completed', 'failed'].includes(response.body.status)
          ? response.body
          : undefined;
      },
      { timeoutMs: 30_000, what: `transfer ${transferId} to settle` },
    );
  }
}
