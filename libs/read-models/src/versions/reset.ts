import { clearCheckpoints } from '@ledger/projections';
import { withTransaction } from '@ledger/postgres';
import type { Pool } from 'pg';
import { PROJECTIONS } from '../schema';
import { activeGroupOf, activeLockKey } from './active';
import { tablesOf, type ReadModelName } from './models';

export interface ReadModelReset {
  /** The consumer group whose checkpoints were cleared: the active one (ADR 0020). */
  group: string;
  tables: readonly string[];
}

/** The active group is not the one the caller checked (a rebuild swapped another in meanwhile). */
export class ActiveGroupChangedError extends Error {
  override readonly name = 'ActiveGroupChangedError';
}

/**
 * Empties a read model for a replay from the first event (`ops-cli projections replay`): its canonical
 * tables and the checkpoints of the group that keeps them, in one transaction, so the projector finds
 * neither rows nor checkpoints of the events it is about to apply again. The group's Kafka offsets are
 * the caller's to reset, with the projector stopped. `expectedGroup`: the group the caller checked (no
 * members); nothing changes if another one is active by now.
 */
export async function resetReadModel(
  pool: Pool,
  model: ReadModelName,
  options: { expectedGroup?: string } = {},
): Promise<ReadModelReset> {
  const tables = tablesOf(model);
  return withTransaction(pool, async (tx) => {
    // Exclusive, as a swap takes it: no swap renames the tables while they are emptied.
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [activeLockKey(model)]);
    const group = await activeGroupOf(tx, PROJECTIONS[model].name);
    if (options.expectedGroup !== undefined && group !== options.expectedGroup)
      throw new ActiveGroupChangedError(
        `read model ${model} is now kept by ${group}, not ${options.expectedGroup}: nothing was reset`,
      );
    await tx.query(`truncate ${tables.join(', ')}`);
    await clearCheckpoints(tx, group);
    return { group, tables };
  });
}
