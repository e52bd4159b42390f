import type { DecodedEvent, SqlWrite } from '@ledger/projections';
import { ReadModelError } from '../errors';
import type { AccountEvent } from '../events';
import { simulateLedger } from '../spec-support';
import { accountTables } from '../tables';
import { insertStatementEntries, saveAccountSummaries } from './account-store';
import { AccountsBulkFold } from './bulk-accounts';
import { foldAccountEvents } from './fold-accounts';

// The bulk load's fold, without a database: the rows it writes, however the log is cut into batches.

const tables = accountTables('__v2');
const rowsOf = (writes: readonly SqlWrite[], table: string) =>
  writes
    .filter((write) => write.text.startsWith(`insert into ${table} `))
    .flatMap((write) => JSON.parse(write.values[0] as string) as unknown[]);

function foldInSlices(events: readonly DecodedEvent[], size: number) {
  const fold = new AccountsBulkFold(tables);
  const writes: SqlWrite[] = [];
  for (let start = 0; start < events.length; start += size) {
    fold.apply(events.slice(start, start + size));
    if (fold.pendingRows >= 50) writes.push(...fold.takeWrites());
  }
  writes.push(...fold.takeWrites(), ...fold.summaryWrites());
  return {
    entries: rowsOf(writes, tables.statement),
    history: rowsOf(writes, tables.history),
    summaries: rowsOf(writes, tables.summaries),
  };
}

describe('the bulk fold of account events', () => {
  const { accountEvents } = simulateLedger({ accounts: 15, accountEvents: 800, seed: 7 });

  it('writes the same rows whether the events come one at a time, in slices or all at once', () => {
    const whole = foldInSlices(accountEvents, accountEvents.length);
    expect(whole.history).toHaveLength(accountEvents.length);
    expect(foldInSlices(accountEvents, 1)).toEqual(whole);
    expect(foldInSlices(accountEvents, 37)).toEqual(whole);
  });

  it('writes what one fold of every event writes, refunds naming the counterparty of their debit', () => {
    const once = foldAccountEvents(new Map(), accountEvents as AccountEvent[]);
    const bulk = foldInSlices(accountEvents, 37);
    expect(bulk.entries).toEqual(rowsOf([insertStatementEntries(once.entries, tables)!], tables.statement));
    expect(bulk.summaries).toEqual(rowsOf([saveAccountSummaries(once.summaries, tables)!], tables.summaries));
    const refunds = once.entries.filter((entry) => entry.kind === 'transfer_refund');
    expect(refunds.length).toBeGreaterThan(0);
    expect(refunds.every((entry) => entry.counterpartyAccountId !== null)).toBe(true);
  });

  it('throws the read model’s error on an event it rejects', () => {
    const fold = new AccountsBulkFold(tables);
    const withoutOpening = accountEvents.filter((event) => event !== accountEvents[0]);
    expect(() => fold.apply(withoutOpening)).toThrow(ReadModelError);
  });
});
