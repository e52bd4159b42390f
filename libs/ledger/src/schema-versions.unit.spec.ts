import { LEDGER_EVENT_TYPES, eventSchemaVersion, isLedgerEventType } from './schema-versions';

describe('event schema versions', () => {
  it('writes AccountOpened as v2, since v2 added the daily withdrawal limit', () => {
    expect(eventSchemaVersion('ledger.accounts.AccountOpened')).toBe(2);
  });

  it('writes every other event type as v1', () => {
    const others = LEDGER_EVENT_TYPES.filter((type) => type !== 'ledger.accounts.AccountOpened');
    expect(others).toHaveLength(13);
    expect(others.map(eventSchemaVersion)).toStrictEqual(others.map(() => 1));
  });

  it('recognises catalogue names and nothing else', () => {
    expect(isLedgerEventType('ledger.transfers.TransferFailed')).toBe(true);
    expect(isLedgerEventType('TransferFailed')).toBe(false);
    expect(isLedgerEventType('toString')).toBe(false);
  });
});
