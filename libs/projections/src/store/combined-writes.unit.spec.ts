import type { PoolClient } from 'pg';
import { runWrites } from './combined-writes';

function recordingTx() {
  const calls: { text: string; values: unknown[] }[] = [];
  const tx = {
    query: async (text: string, values: unknown[]) => {
      calls.push({ text, values });
      return { rows: [] };
    },
  };
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

  it('selects each check over its write’s result and verifies the values, in the order of the writes', async () => {
    const calls: { text: string; values: unknown[] }[] = [];
    const tx = {
      query: async (text: string, values: unknown[]) => {
        calls.push({ text, values });
        return { rows: [{ c0: 2, c1: 'v1' }] };
      },
    } as unknown as PoolClient;
    const seen: unknown[] = [];
    await runWrites(tx, [
      {
        text: 'update a set b = $1 returning 1',
        values: [1],
        check: {
          expression: (result) => `(select count(*) from ${result})::int`,
          verify: (v) => seen.push(v),
        },
      },
      { text: 'insert into c values ($1)', values: [2] },
      {
        text: 'select g from d where k = $1',
        values: ['k'],
        check: { expression: (result) => `(select g from ${result})`, verify: (v) => seen.push(v) },
      },
    ]);
    expect(calls[0]!.text).toBe(
      'with w0 as (update a set b = $1 returning 1),\nw1 as (insert into c values ($2)),\n' +
        'w2 as (select g from d where k = $3)\nselect (select count(*) from w0)::int as c0, (select g from w2) as c1',
    );
    expect(seen).toEqual([2, 'v1']);
  });

  it('fails with what a check throws', async () => {
    const tx = { query: async () => ({ rows: [{ c0: 0 }] }) } as unknown as PoolClient;
    const write = {
      text: 'update a set b = 1 returning 1',
      values: [],
      check: {
        expression: (result: string) => `(select count(*) from ${result})::int`,
        verify: (value: unknown) => {
          if (value !== 1) throw new Error(`expected 1 row, got ${String(value)}`);
        },
      },
    };
    await expect(runWrites(tx, [write])).rejects.toThrow('expected 1 row, got 0');
  });

  it('runs a single write as it is, and nothing when there is nothing to write', async () => {
    const { calls, tx } = recordingTx();
    await runWrites(tx, [undefined]);
    await runWrites(tx, [undefined, { text: 'update c set d = $1', values: [4] }]);
    expect(calls).toEqual([{ text: 'update c set d = $1', values: [4] }]);
  });
});
