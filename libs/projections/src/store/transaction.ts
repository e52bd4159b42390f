import { TransientError } from '../errors';
import { withTransaction } from '@ledger/postgres';
import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in a transaction (the shared one: a client whose connection failed is destroyed instead
 * of going back to the pool). When COMMIT itself fails the outcome is unknown; callers retry, and the
 * checkpoints make the retry harmless.
 */
export const inTransaction: <T>(pool: Pool, work: (tx: PoolClient) => Promise<T>) => Promise<T> =
  withTransaction;

/** Runs `work` inside a savepoint: its writes are undone when it throws, the transaction stays usable. */
export async function inSavepoint<T>(tx: PoolClient, work: () => Promise<T>): Promise<T> {
  await tx.query('savepoint projection_apply');
  try {
    const result = await work();
    await tx.query('release savepoint projection_apply');
    return result;
  } catch (error) {
    try {
      await tx.query('rollback to savepoint projection_apply');
    } catch (rollbackError) {
      // The transaction itself is gone (usually the connection): retry it whole, whatever `work` threw.
      throw new TransientError('transaction lost while undoing a failed apply', { cause: rollbackError });
    }
    throw error;
  }
}
