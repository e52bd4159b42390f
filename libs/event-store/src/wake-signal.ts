/**
 * A latch between "something was appended" and a waiting tail. A wake-up that arrives while the tail is
 * busy reading is remembered, so the next wait returns at once instead of sleeping past new events.
 */
export class WakeSignal {
  private pending = false;
  private failure: Error | undefined;
  private release: (() => void) | undefined;

  notify(): void {
    this.pending = true;
    this.release?.();
  }

  /** Makes the current or next wait reject; used when the notification channel breaks. */
  fail(error: Error): void {
    this.failure = error;
    this.release?.();
  }

  /**
   * Forgets earlier wake-ups; call it just before reading, since that read sees what they announced.
   * Throws once the signal failed, so no read starts after the store closed.
   */
  reset(): void {
    if (this.failure !== undefined) throw this.failure;
    this.pending = false;
  }

  /** Resolves on a wake-up, after `timeoutMs`, or on abort, whichever comes first. */
  async wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (!this.pending && !signal.aborted && this.failure === undefined) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          this.release = undefined;
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal.addEventListener('abort', done);
        this.release = done;
      });
    }
    if (this.failure !== undefined) throw this.failure;
  }
}
