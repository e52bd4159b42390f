/**
 * Wakes tails after appends without a NOTIFY inside every append transaction: Postgres serializes the
 * commits of notifying transactions on one database-wide lock, so a trigger-sent NOTIFY made appends
 * commit one at a time. Instead, after an append committed, this sends one NOTIFY of its own, at most one
 * per `intervalMs` (leading edge: an append after a quiet spell notifies at once; appends during the
 * interval share one NOTIFY at its end). An append that commits while a NOTIFY is on its way gets
 * another: the tail may have read before it became visible.
 *
 * A lost NOTIFY (the process dies between commit and send, Postgres restarts) only delays a tail until
 * its fallback poll; the notification is a wake-up, never data.
 */
export class ThrottledAppendNotifier {
  private pending = false;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly send: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Call after an append committed. */
  appended(): void {
    if (this.closed) return;
    this.pending = true;
    this.schedule();
  }

  /** Sends what is pending at once, then stops; later appends notify nobody. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
    if (this.pending) this.fire();
    await this.inFlight;
  }

  private schedule(): void {
    if (!this.pending || this.timer !== undefined || this.inFlight !== undefined || this.closed) return;
    const wait = this.lastSentAt + this.intervalMs - performance.now();
    if (wait <= 0) {
      this.fire();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, wait);
  }

  private fire(): void {
    this.pending = false;
    this.lastSentAt = performance.now();
    this.inFlight = this.send()
      .catch((error: unknown) => this.onError(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        this.inFlight = undefined;
        this.schedule();
      });
  }
}
