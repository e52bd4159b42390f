import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';

export interface QueryLoadResult {
  readonly queries: number;
  /** Answers without the account, or with a statement shorter than before: a partial model. */
  readonly partial: number;
  readonly errors: number;
  readonly latenciesMs: number[];
}

/**
 * Reads accounts as the query API does (summary by id, then its statement entries) in `workers` loops
 * until stopped. Every account was complete before the rebuild began, so each answer must hold it with at
 * least the entries it had then: anything less is a query that saw a partial model.
 */
export function startQueryLoad(
  pool: Pool,
  expected: ReadonlyMap<string, number>,
  workers: number,
): { stop(): Promise<QueryLoadResult> } {
  const ids = [...expected.keys()];
  const result = { queries: 0, partial: 0, errors: 0, latenciesMs: [] as number[] };
  let running = true;
  const loops = Array.from({ length: workers }, async (_, worker) => {
    for (let i = worker; running; i += workers) {
      const id = ids[(i * 7919) % ids.length]!;
      const started = performance.now();
      try {
        const summary = await pool.query('select * from account_summaries where account_id = $1', [id]);
        const entries = await pool.query<{ n: string }>(
          'select count(*) as n from account_statement_entries where account_id = $1',
          [id],
        );
        result.latenciesMs.push(performance.now() - started);
        if (summary.rows.length !== 1 || Number(entries.rows[0]!.n) < expected.get(id)!) result.partial += 1;
      } catch {
        result.errors += 1;
      }
      result.queries += 1;
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return result;
    },
  };
}

/** Statement entries per account now: what every later answer must at least show. */
export async function statementCounts(pool: Pool): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ account_id: string; n: string }>(
    `select s.account_id, count(e.account_id) as n from account_summaries s
       left join account_statement_entries e using (account_id) group by s.account_id`,
  );
  return new Map(rows.map((row) => [row.account_id, Number(row.n)]));
}
