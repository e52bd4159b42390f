/** The right to publish, held by one relay instance at a time. */
export interface Leadership {
  /** Aborts as soon as the instance learns it may have lost the lock; it must stop publishing then. */
  readonly lost: AbortSignal;
  /** Proves the lock is still held, with a round trip; aborts `lost` and throws LeadershipLostError if not. */
  assertHeld(): Promise<void>;
  /** Gives the lock up for a standby to take; idempotent. */
  release(): Promise<void>;
}

/** Elects the leader among instances sharing a lock name. */
export interface LeaderLock {
  /** Waits until this instance holds the lock; undefined when `signal` aborts first. */
  acquire(signal: AbortSignal): Promise<Leadership | undefined>;
}

export class LeadershipLostError extends Error {
  override readonly name = 'LeadershipLostError';

  constructor(
    readonly lockName: string,
    override readonly cause?: unknown,
  ) {
    super(`lost the relay lock ${lockName}${cause instanceof Error ? `: ${cause.message}` : ''}`);
  }
}
