import type { PoolClient } from 'pg';
import { runWrites } from './combined-writes';

function recordingTx() {
  const calls: { text: string; values: unknown[] }[] = [];
  const tx = { query: async (text: string, values: unknown[]) => void calls.push({ text, values }) };
  return { calls, tx: tx as unknown as PoolClient };
}

describe('runWrites', () => {
  it('joins writes into one statement of CTEs, renumbering each one’s parameters after the previous', async () => {
    const { calls, tx } = recordingTx();
    await runWrites(tx, [
      { text: 'insert into a select * from unnest($1::int[], $2::text[])', values: [[1], ['x']] },
      undefined,
      {
        text: 'insert into b select * from unnest($1::int[]) where $2::int > 0 and $10::int is null',
        values: [[2], 3, null, null, null, null, null, null, null, null],
      },
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.text).toBe(
      'with w0 as (insert into a select * from unnest($1::int[], $2::text[])),\n' +
        'w1 as (insert into b select * from unnest($3::int[]) where $4::int > 0 and $12::int is null)\nselect 1',
    );
    expect(calls[0]!.values).toEqual([[1], ['x'], [2], 3, null, null, null, null, null, null, null, null]);
  });

  it('runs a single write as it is, and nothing when there is nothing to write', async () => {
    const { calls, tx } = recordingTx();
    await runWrites(tx, [undefined]);
    await runWrites(tx, [undefined, { text: 'update c set d = $1', values: [4] }]);
    expect(calls).toEqual([{ text: 'update c set d = $1', values: [4] }]);
  });
});
