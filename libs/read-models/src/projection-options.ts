import type { SqlWrite } from '@ledger/projections';
import type { PoolClient } from 'pg';

/**
 * What lets a projection write a batch. Its first statement, before the batch touches any read-model
 * table, takes the advisory lock `lockKey` shared, held to the end of the transaction (`enterGuard`);
 * `afterLock` then runs in process and may throw to stop the batch; `verify`, a read with a check, runs in
 * the batch's final statement, on a snapshot taken after the lock was granted, and its failure rolls the
 * batch back. The lock must come first in a statement of its own: a batch that waited for it while holding
 * a lock on a read-model table would deadlock with the swap, which holds it exclusively and then renames
 * and drops those tables.
 */
export interface WriteGuard {
  lockKey: string;
  afterLock?: () => void;
  verify?: SqlWrite;
}

/** The guard's first step in a batch's transaction (see WriteGuard); nothing without a guard. */
export async function enterGuard(tx: PoolClient, guard: WriteGuard | undefined): Promise<void> {
  if (!guard) return;
  await tx.query('select pg_advisory_xact_lock_shared(hashtext($1))', [guard.lockKey]);
  guard.afterLock?.();
}

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
