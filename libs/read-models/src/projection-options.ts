import type { SqlWrite } from '@ledger/projections';

/**
 * What lets a projection write a batch. The projection's first statement (its lock of the rows it changes)
 * also takes the advisory lock `lockKey` shared, held to the end of the transaction; `afterLock` then runs
 * in process and may throw to stop the batch; `verify`, a read with a check, runs in the batch's final
 * statement, on a snapshot taken after the lock was granted, and its failure rolls the batch back.
 */
export interface WriteGuard {
  lockKey: string;
  afterLock?: () => void;
  verify?: SqlWrite;
}

/**
 * The condition that takes a guard's lock in the statement it is added to: an uncorrelated sub-select, which
 * Postgres evaluates once, before the scan (a one-time filter), whether or not any row matches.
 */
export function guardLockCondition(parameter: number): string {
  return `(select true from pg_advisory_xact_lock_shared(hashtext($${parameter}::text)))`;
}

/** Options of the read-model projections. */
export interface ReadModelProjectionOptions {
  /** Consumer group and retry-topic prefix; default from `PROJECTIONS`. Tests and rebuilds pass their own. */
  name?: string;
  topics?: string[];
  /** Suffix of the tables written: none for the canonical (live) tables, `__v<n>` for a rebuild's shadow. */
  tableSuffix?: string;
  /**
   * Guards every batch; a live projector passes the check that its group is still the active version
   * (`activeGroupGuard`), so a swap stops it from writing the tables it no longer keeps.
   */
  guard?: WriteGuard;
}

export const unique = (values: readonly string[]): string[] => [...new Set(values)];
