import type { PoolClient } from 'pg';

/** One set-based write of a projection: a statement and its parameters ($1…). */
export interface SqlWrite {
  text: string;
  values: unknown[];
  /**
   * What must hold once the statement has run: `expression` is SQL over the write's result set (named by
   * the argument, e.g. `(select count(*) from w0)`), and `verify` throws when its value is wrong, which
   * rolls back the transaction the write is part of.
   */
  check?: {
    expression: (result: string) => string;
    verify: (value: unknown) => void;
  };
}

/**
 * Runs writes to several tables as one statement (each a data-modifying CTE, which Postgres runs exactly
 * once and to completion, all on one snapshot): one round trip instead of one per table. At low rates a
 * chunk holds one event and each round trip is a write and a wake-up on both sides, which is what the
 * projector spent its CPU on. The writes must be independent of each other: no CTE sees another's rows.
 * A plain `select` may take part too, to be verified by its check after the writes on the same snapshot.
 */
export async function runWrites(tx: PoolClient, writes: readonly (SqlWrite | undefined)[]): Promise<void> {
  const present = writes.filter((write): write is SqlWrite => write !== undefined);
  if (present.length === 0) return;
  if (present.length === 1 && !present[0]!.check) {
    await tx.query(present[0]!.text, present[0]!.values);
    return;
  }
  const values: unknown[] = [];
  const checks: { column: string; verify: (value: unknown) => void }[] = [];
  const parts = present.map((write, index) => {
    const offset = values.length;
    values.push(...write.values);
    if (write.check)
      checks.push({
        column: `${write.check.expression(`w${index}`)} as c${checks.length}`,
        verify: write.check.verify,
      });
    // The statements are the project's own, with no `$` outside their placeholders.
    return `w${index} as (${write.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
  });
  const { rows } = await tx.query<Record<string, unknown>>(
    `with ${parts.join(',\n')}\nselect ${checks.length > 0 ? checks.map((check) => check.column).join(', ') : '1'}`,
    values,
  );
  checks.forEach((check, index) => check.verify(rows[0]?.[`c${index}`]));
}
