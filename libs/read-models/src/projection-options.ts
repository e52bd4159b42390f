import type { PoolClient } from 'pg';

/** Options of the read-model projections. */
export interface ReadModelProjectionOptions {
  /** Consumer group and retry-topic prefix; default from `PROJECTIONS`. Tests and rebuilds pass their own. */
  name?: string;
  topics?: string[];
  /** Suffix of the tables written: none for the canonical (live) tables, `__v<n>` for a rebuild's shadow. */
  tableSuffix?: string;
  /**
   * Runs first in every batch's transaction; a live projector passes the check that its group is still the
   * active version (`assertActiveGroup`), so a swap stops it from writing the tables it no longer keeps.
   */
  guard?: (tx: PoolClient) => Promise<void>;
}

export const unique = (values: readonly string[]): string[] => [...new Set(values)];
