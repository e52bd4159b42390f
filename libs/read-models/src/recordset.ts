import type { SqlWrite } from '@ledger/projections';

/** A write's columns in table order, each with its SQL type. */
export type RecordsetColumns = Readonly<Record<string, string>>;

/**
 * `<head> (<columns>) select <columns> from json_to_recordset($1::json) … <tail>`: a batch's rows as one
 * JSON parameter, keyed by column name. pg turns a JavaScript array into an array literal element by
 * element, escaping each, one array per column; JSON.stringify builds the whole batch in one native pass
 * (a `jsonb` column takes its object as it is, not as a string inside an array literal), and Postgres
 * parses it once.
 */
export function recordsetWrite(
  head: string,
  columns: RecordsetColumns,
  rows: readonly Readonly<Record<string, unknown>>[],
  tail = '',
): SqlWrite {
  const names = Object.keys(columns).join(', ');
  const definition = Object.entries(columns)
    .map(([name, type]) => `${name} ${type}`)
    .join(', ');
  return {
    text: `${head} (${names}) select ${names} from json_to_recordset($1::json) as r(${definition})${tail ? `\n${tail}` : ''}`,
    values: [JSON.stringify(rows)],
  };
}
