import type { SqlWrite } from '@ledger/projections';

/**
 * A table's columns as a write fills them, in table order: each column's name, its SQL type and how a row
 * gets its value from the item it is written for. One declaration per column, so a column cannot be named in
 * the statement and forgotten in the rows (or the other way round).
 */
export type RecordsetColumns<T> = Readonly<
  Record<string, readonly [type: string, value: (item: T) => unknown]>
>;

/**
 * `<head> (<columns>) select <columns> from json_to_recordset($1::json) … <tail>`: a batch's rows as one
 * JSON parameter, keyed by column name. pg turns a JavaScript array into an array literal element by
 * element, escaping each, one array per column; JSON.stringify builds the whole batch in one native pass
 * (a `jsonb` column takes its object as it is, not as a string inside an array literal), and Postgres
 * parses it once. A value that is `undefined` is left out of its row, which the recordset reads as null.
 */
export function recordsetWrite<T>(
  head: string,
  columns: RecordsetColumns<T>,
  items: readonly T[],
  tail = '',
): SqlWrite {
  const entries = Object.entries(columns);
  const names = entries.map(([name]) => name).join(', ');
  const definition = entries.map(([name, [type]]) => `${name} ${type}`).join(', ');
  const rows = items.map((item) => {
    const row: Record<string, unknown> = {};
    for (const [name, [, value]] of entries) row[name] = value(item);
    return row;
  });
  return {
    text: `${head} (${names}) select ${names} from json_to_recordset($1::json) as r(${definition})${tail ? `\n${tail}` : ''}`,
    values: [JSON.stringify(rows)],
  };
}
