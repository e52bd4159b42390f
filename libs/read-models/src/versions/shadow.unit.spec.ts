import { retargetIndex } from './shadow';

describe('retargetIndex', () => {
  it('builds the same index under the shadow name on the shadow table, keeping the schema and the rest', () => {
    expect(
      retargetIndex(
        'CREATE INDEX account_statement_entries_transfer ON public.account_statement_entries USING btree (transfer_id) WHERE (transfer_id IS NOT NULL)',
        'account_statement_entries_transfer__v2',
        'account_statement_entries__v2',
      ),
    ).toBe(
      'CREATE INDEX "account_statement_entries_transfer__v2" ON public."account_statement_entries__v2" USING btree (transfer_id) WHERE (transfer_id IS NOT NULL)',
    );
    expect(
      retargetIndex(
        'CREATE UNIQUE INDEX transfers_pkey ON public.transfers USING btree (transfer_id)',
        'transfers_pkey__v3',
        'transfers__v3',
      ),
    ).toBe('CREATE UNIQUE INDEX "transfers_pkey__v3" ON public."transfers__v3" USING btree (transfer_id)');
  });

  it('refuses a definition it does not recognise rather than build something else', () => {
    expect(() => retargetIndex('CREATE TABLE x (a int)', 'i', 't')).toThrow('unexpected index definition');
  });
});
