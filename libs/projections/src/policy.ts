/** How often a poison event is retried before it is dead-lettered. */
export interface RetryPolicy {
  /**
   * Number of retry topics `<name>.retry.1..levels`; 0 sends a poison event straight to `<name>.dlq`
   * (`<name>.retry.1` still exists: redrives go through it).
   */
  levels: number;
  /** Delay before the retry at each level; the last value repeats when there are fewer than `levels`. */
  delaysMs: number[];
  /** Attempts at applying a single failing event, in process, before it counts as poison. */
  attemptsPerEvent: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  levels: 3,
  delaysMs: [1_000, 10_000, 60_000],
  attemptsPerEvent: 3,
};

export interface Stage {
  stage: 'retry' | 'dead-letter';
  /** Retry topic level (1-based); for a dead letter, the last level it went through. */
  level: number;
  notBefore: Date;
}

export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  const { levels, delaysMs, attemptsPerEvent } = policy;
  if (!Number.isInteger(levels) || levels < 0)
    throw new RangeError(`retry levels must be an integer >= 0, got ${levels}`);
  if (levels > 0 && delaysMs.length === 0) throw new RangeError('retry delaysMs needs at least one delay');
  if (delaysMs.some((delay) => !Number.isInteger(delay) || delay < 0))
    throw new RangeError('retry delays must be integers >= 0');
  if (!Number.isInteger(attemptsPerEvent) || attemptsPerEvent < 1)
    throw new RangeError('attemptsPerEvent must be >= 1');
  return policy;
}

function delayAt(policy: RetryPolicy, level: number): number {
  return policy.delaysMs[Math.min(level, policy.delaysMs.length) - 1] ?? 0;
}

/** Where an event goes after it first failed. */
export function firstStage(policy: RetryPolicy, now: Date): Stage {
  if (policy.levels === 0) return { stage: 'dead-letter', level: 0, notBefore: now };
  return { stage: 'retry', level: 1, notBefore: new Date(now.getTime() + delayAt(policy, 1)) };
}

/** Where an event goes after it failed again at retry `level`. */
export function nextStage(policy: RetryPolicy, level: number, now: Date): Stage {
  if (level >= policy.levels) return { stage: 'dead-letter', level, notBefore: now };
  return {
    stage: 'retry',
    level: level + 1,
    notBefore: new Date(now.getTime() + delayAt(policy, level + 1)),
  };
}
