import type { SqlWrite } from '@ledger/projections';
import type { PoolClient } from 'pg';

/**
 * What lets a projection write a batch: `enter` runs first in the batch's transaction (a lock, a check in
 * process); `verify`, a read with a check, runs in the batch's final statement, on a snapshot taken after
 * `enter` returned, and its failure rolls the batch back.
 */
export interface WriteGuard {
  enter(tx: PoolClient): Promise<void>;
  verify?: SqlWrite;
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
