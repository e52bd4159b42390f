import { clearCheckpoints } from '@ledger/projections';
import { withTransaction } from '@ledger/postgres';
import type { Pool } from 'pg';
import { PROJECTIONS } from '../schema';
import { activeGroupOf } from './active';
import { tablesOf, type ReadModelName } from './models';

export interface ReadModelReset {
  /** The consumer group whose checkpoints were cleared: the active one (ADR 0020). */
  group: string;
  tables: readonly string[];
}

/**
 * Empties a read model for a replay from the first event (`ops-cli projections replay`): its canonical
 * tables and the checkpoints of the group that keeps them, in one transaction, so the projector finds
 * neither rows nor checkpoints of the events it is about to apply again. The group's Kafka offsets are
 * the caller's to reset, with the projector stopped.
 */
export async function resetReadModel(pool: Pool, model: ReadModelName): Promise<ReadModelReset> {
  const tables = tablesOf(model);
  return withTransaction(pool, async (tx) => {
    const group = await activeGroupOf(tx, PROJECTIONS[model].name);
    await tx.query(`truncate ${tables.join(', ')}`);
    await clearCheckpoints(tx, group);
    return { group, tables };
  });
}
