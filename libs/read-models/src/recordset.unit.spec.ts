import { recordsetWrite } from './recordset';

describe('recordsetWrite', () => {
  interface Item {
    id: string;
    amount: number;
    note?: string;
    detail: { kind: string };
  }
  const items: Item[] = [
    { id: 'a', amount: 5, note: 'first', detail: { kind: 'x' } },
    { id: 'b', amount: -3, detail: { kind: 'y' } },
  ];

  it('names each column once in the statement, typed in the recordset, in declaration order', () => {
    const write = recordsetWrite<Item>(
      'insert into t',
      {
        item_id: ['uuid', (item) => item.id],
        amount: ['bigint', (item) => item.amount],
        note: ['text', (item) => item.note],
        detail: ['jsonb', (item) => item.detail],
      },
      items,
      'on conflict do nothing',
    );

    expect(write.text).toBe(
      'insert into t (item_id, amount, note, detail) select item_id, amount, note, detail from ' +
        'json_to_recordset($1::json) as r(item_id uuid, amount bigint, note text, detail jsonb)\non conflict do nothing',
    );
    // One JSON parameter, a row per item keyed by column; an undefined value is left out (null to Postgres).
    expect(JSON.parse(write.values[0] as string)).toEqual([
      { item_id: 'a', amount: 5, note: 'first', detail: { kind: 'x' } },
      { item_id: 'b', amount: -3, detail: { kind: 'y' } },
    ]);
  });
});
