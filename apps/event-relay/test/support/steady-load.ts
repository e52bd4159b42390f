import type { LedgerLoad } from './ledger-load';

/**
 * Deposits into a fixed set of accounts at a steady rate until stopped, one command at a time per
 * account, counting what succeeded and what failed.
 */
export class SteadyLoad {
  succeeded = 0;
  readonly failures: unknown[] = [];
  private running = true;
  private readonly done: Promise<void>;

  constructor(
    private readonly load: LedgerLoad,
    private readonly accounts: readonly string[],
    commandsPerSecond: number,
  ) {
    const perAccountGapMs = (1_000 * accounts.length) / commandsPerSecond;
    this.done = Promise.all(
      accounts.map((account, index) => this.drive(account, perAccountGapMs, index)),
    ).then(() => undefined);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }

  private async drive(account: string, gapMs: number, offset: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, (gapMs * offset) / this.accounts.length));
    for (let amount = 1; this.running; amount++) {
      const started = Date.now();
      try {
        await this.load.deposit(account, amount);
        this.succeeded++;
      } catch (error) {
        this.failures.push(error);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, gapMs - (Date.now() - started))));
    }
  }
}
