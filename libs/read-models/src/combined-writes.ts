import type { PoolClient } from 'pg';

/** One set-based write of a projection: a statement and its parameters ($1…). */
export interface SqlWrite {
  text: string;
  values: unknown[];
}

/**
 * Runs a batch's writes to several tables as one statement (each a data-modifying CTE, which Postgres runs
 * exactly once and to completion): one round trip instead of one per table. At low rates a chunk holds one
 * event and each round trip is a write and a wake-up on both sides, which is what the projector spent its
 * CPU on. The writes must be independent of each other: no CTE sees another's rows.
 */
export async function runWrites(tx: PoolClient, writes: readonly (SqlWrite | undefined)[]): Promise<void> {
  const present = writes.filter((write): write is SqlWrite => write !== undefined);
  if (present.length === 0) return;
  if (present.length === 1) {
    await tx.query(present[0]!.text, present[0]!.values);
    return;
  }
  const values: unknown[] = [];
  const parts = present.map((write, index) => {
    const offset = values.length;
    values.push(...write.values);
    // The statements are the project's own, with no `$` outside their placeholders.
    return `w${index} as (${write.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
  });
  await tx.query(`with ${parts.join(',\n')}\nselect 1`, values);
}
