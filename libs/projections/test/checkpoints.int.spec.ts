import { Pool, type PoolClient } from 'pg';
import { createTestDatabase, type TestDatabase } from '@ledger/testing';
import {
  appliedVersion,
  CheckpointConflictError,
  ensureProjectionSchema,
  type DecodedEvent,
} from '@ledger/projections';
import { advanceCheckpoints, readCheckpoints } from '../src/store/checkpoints';

// Two consumers briefly owning the same partition (one has not noticed a rebalance yet) must not both
// apply the same events: the second to commit finds the checkpoint moved and rolls back.

let database: TestDatabase;
let pool: Pool;
beforeAll(async () => {
  database = await createTestDatabase('checkpoints');
  pool = new Pool({ connectionString: database.url, max: 4 });
  await ensureProjectionSchema(pool);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const event = (streamId: string, streamVersion: number) => ({ streamId, streamVersion }) as DecodedEvent;

async function begin(): Promise<PoolClient> {
  const client = await pool.connect();
  await client.query('begin');
  return client;
}

async function end(client: PoolClient, action: 'commit' | 'rollback'): Promise<void> {
  await client.query(action);
  client.release();
}

describe('checkpoints', () => {
  it.each([
    ['a stream applied for the first time', 'first', 0],
    ['a stream with a checkpoint', 'known', 3],
  ])('let only the first of two concurrent transactions advance %s', async (_, stream, start) => {
    if (start > 0)
      await pool.query(`insert into projection_checkpoints values ('p', $1, $2)`, [stream, start]);
    const first = await begin();
    const second = await begin();
    const readByFirst = await readCheckpoints(first, 'p', [stream]);
    const readBySecond = await readCheckpoints(second, 'p', [stream]);

    await advanceCheckpoints(first, 'p', readByFirst, [event(stream, start + 1), event(stream, start + 2)]);
    const racing = advanceCheckpoints(second, 'p', readBySecond, [event(stream, start + 1)]);
    await end(first, 'commit');
    await expect(racing).rejects.toBeInstanceOf(CheckpointConflictError);
    await end(second, 'rollback');
    expect(await appliedVersion(pool, 'p', stream)).toBe(start + 2);
  });

  it('keep projections apart', async () => {
    await pool.query(`insert into projection_checkpoints values ('p1', 'shared', 4), ('p2', 'shared', 9)`);
    expect(await appliedVersion(pool, 'p1', 'shared')).toBe(4);
    expect(await appliedVersion(pool, 'p2', 'shared')).toBe(9);
    expect(await appliedVersion(pool, 'p3', 'shared')).toBe(0);
  });
});
