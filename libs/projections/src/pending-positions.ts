import type { Pool } from 'pg';
import { advancePositions, type ProcessedOffset } from './store/positions';

/**
 * Positions of partitions whose last chunks applied nothing (every record of a type the consumer ignores):
 * such a chunk needs no transaction, and its position, which only reports progress (status, lag, a
 * rebuild's catching up), is written within `intervalMs`, for all such partitions in one statement. A
 * later chunk's transaction that records a position of its own makes the pending one moot.
 */
export class PendingPositions {
  private readonly pending = new Map<string, ProcessedOffset>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly projection: string,
    /** 0 writes each at once. */
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  async note(position: ProcessedOffset): Promise<void> {
    this.pending.set(keyOf(position), position);
    if (this.intervalMs === 0 || this.closed) return this.flush();
    this.schedule();
  }

  /** A transaction recorded the partition's position through `offset`: what is pending up to it is moot. */
  recorded(position: ProcessedOffset): void {
    const key = keyOf(position);
    const pending = this.pending.get(key);
    if (pending && BigInt(pending.offset) <= BigInt(position.offset)) this.pending.delete(key);
  }

  /** Writes what is pending, and from now on writes each at once (the projector is stopping). */
  close(): Promise<void> {
    this.closed = true;
    return this.flush();
  }

  /** Writes what is pending now; on failure it stays pending, and is tried again after the interval. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const taken = [...this.pending.values()];
    this.pending.clear();
    try {
      await advancePositions(this.pool, this.projection, taken);
    } catch (error) {
      for (const position of taken)
        if (!this.pending.has(keyOf(position))) this.pending.set(keyOf(position), position);
      if (!this.closed && this.intervalMs > 0) this.schedule();
      throw error;
    }
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => void this.flush().catch(this.onError), this.intervalMs).unref();
  }
}

const keyOf = ({ topic, partition }: ProcessedOffset) => `${partition}@${topic}`;
