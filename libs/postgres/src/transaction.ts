import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in a transaction on a pooled connection. A connection that failed (an error event, or a
 * rollback that could not run) is destroyed rather than returned to the pool in an unknown state; the
 * original error is the one rethrown. When COMMIT itself fails the outcome is unknown: callers retry,
 * and must make the retry harmless (expected versions, idempotency keys, checkpoints).
 */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch((rollbackError: unknown) => {
      broken ??= rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}
