/**
 * The Kafka offset commits of one consumer group, at most one per `intervalMs`. The projection's truth is
 * in Postgres (each stream's checkpoint, committed with the read model), so the Kafka offset only says
 * where a restarted or reassigned consumer starts reading: a commit that comes later than it could only
 * means records read again and skipped by their checkpoints. At low rates nearly every batch holds one
 * record, and a commit per batch (a request to the broker, and its write on the broker's side) was the
 * larger part of what a record cost. An offset is still resolved only after its chunk's transaction
 * committed, so Kafka never gets ahead of Postgres.
 */
export class OffsetCommits {
  private lastAt = 0;
  private pending: (() => Promise<void>) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** 0 commits after every chunk. */
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /**
   * Commits through `commit` now when the interval has passed since the last commit (or `now`), else
   * leaves the latest `commit` to a timer that runs it when the interval is up. `commit` must commit
   * what is resolved when it runs, not what was resolved when it was handed over.
   */
  async request(commit: () => Promise<void>, now = false): Promise<void> {
    if (now || this.intervalMs === 0 || Date.now() - this.lastAt >= this.intervalMs) {
      this.cancel();
      this.lastAt = Date.now();
      await commit();
      return;
    }
    this.pending = commit;
    this.timer ??= setTimeout(
      () => void this.flush().catch(this.onError),
      Math.max(0, this.lastAt + this.intervalMs - Date.now()),
    ).unref();
  }

  /** Runs the commit left for the timer, if any (before the consumer leaves its group). */
  async flush(): Promise<void> {
    const commit = this.pending;
    this.cancel();
    if (!commit) return;
    this.lastAt = Date.now();
    await commit();
  }

  private cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }
}
