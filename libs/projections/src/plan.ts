import type { DecodedEvent } from './event';
import type { ProjectionRecord } from './record';

/** A record on its way through the runtime: decoded, or carrying the error that stopped decoding. */
export interface Candidate<E extends DecodedEvent> {
  record: ProjectionRecord;
  streamId: string;
  /** The decoded event's version, else the version its header claims, else unknown. */
  version: number | undefined;
  event?: E;
  decodeError?: unknown;
  /** A type the consumer does not act on (by its header): never decoded, applied or parked. */
  ignored?: true;
}

export interface Failure<E extends DecodedEvent> {
  candidate: Candidate<E>;
  error: unknown;
  attempts: number;
}

export interface Plan<E extends DecodedEvent> {
  skipped: Candidate<E>[];
  /** Records of types the consumer does not act on. */
  ignored: Candidate<E>[];
  toApply: E[];
  /** First decode failure per stream: later records of that stream wait behind it. */
  decodeFailures: Map<string, Failure<E>>;
}

/**
 * Splits records (in offset order) into those already applied (at or below the stream's checkpoint),
 * those to apply now, decode failures and records of types the consumer ignores. Records of streams in
 * `parked` are neither applied nor failed: they wait behind the stream's head.
 */
export function planRecords<E extends DecodedEvent>(
  candidates: readonly Candidate<E>[],
  checkpoints: ReadonlyMap<string, number>,
  parked: ReadonlySet<string>,
): Plan<E> {
  const plan: Plan<E> = { skipped: [], ignored: [], toApply: [], decodeFailures: new Map() };
  const blocked = new Set(parked);
  for (const candidate of candidates) {
    // Even behind a parked head: the consumer would do nothing with it, so it need not wait.
    if (candidate.ignored) {
      plan.ignored.push(candidate);
      continue;
    }
    const checkpoint = checkpoints.get(candidate.streamId);
    if (candidate.version !== undefined && checkpoint !== undefined && candidate.version <= checkpoint) {
      plan.skipped.push(candidate);
    } else if (blocked.has(candidate.streamId)) {
      continue;
    } else if (candidate.event) {
      plan.toApply.push(candidate.event);
    } else {
      plan.decodeFailures.set(candidate.streamId, { candidate, error: candidate.decodeError, attempts: 1 });
      blocked.add(candidate.streamId);
    }
  }
  return plan;
}

export interface Settlement<E extends DecodedEvent> {
  /** Records that were neither applied nor skipped, in offset order: they go to (or stay in) the parking queue. */
  parked: Candidate<E>[];
  /** The first failure per stream that was not parked before. */
  heads: Map<string, Failure<E>>;
}

/** Joins decode and apply failures: each stream's earliest failure becomes its head, everything after it waits. */
export function settle<E extends DecodedEvent>(
  candidates: readonly Candidate<E>[],
  plan: Plan<E>,
  applied: readonly E[],
  applyFailures: ReadonlyMap<string, { event: E; error: unknown; attempts: number }>,
): Settlement<E> {
  const done = new Set<Candidate<E>>([...plan.skipped, ...plan.ignored]);
  const appliedEvents = new Set<DecodedEvent>(applied);
  const heads = new Map<string, Failure<E>>();
  const parked: Candidate<E>[] = [];
  for (const candidate of candidates) {
    if (done.has(candidate) || (candidate.event && appliedEvents.has(candidate.event))) continue;
    parked.push(candidate);
    if (heads.has(candidate.streamId)) continue;
    const applyFailure = applyFailures.get(candidate.streamId);
    const decodeFailure = plan.decodeFailures.get(candidate.streamId);
    if (applyFailure && applyFailure.event === candidate.event) {
      heads.set(candidate.streamId, {
        candidate,
        error: applyFailure.error,
        attempts: applyFailure.attempts,
      });
    } else if (decodeFailure?.candidate === candidate) {
      heads.set(candidate.streamId, decodeFailure);
    }
  }
  return { parked, heads };
}
