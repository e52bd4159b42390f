import { LEDGER_EVENT_TYPES, eventSchemaVersion, isLedgerEventType } from './schema-versions';

describe('event schema versions', () => {
  it('writes AccountOpened as v2, since v2 added the daily withdrawal limit', () => {
    expect(eventSchemaVersion('ledger.accounts.AccountOpened')).toBe(2);
  });

  it('writes the steps of a transfer as v2, since v2 stamps each step with its own time and the request time', () => {
    const steps = [
      'ledger.accounts.TransferDebited',
      'ledger.accounts.TransferCredited',
      'ledger.accounts.TransferRefunded',
      'ledger.transfers.TransferSourceDebited',
      'ledger.transfers.TransferCompleted',
      'ledger.transfers.TransferCreditRefused',
      'ledger.transfers.TransferFailed',
    ] as const;
    expect(steps.map(eventSchemaVersion)).toStrictEqual(steps.map(() => 2));
    const others = LEDGER_EVENT_TYPES.filter(
      (type) => type !== 'ledger.accounts.AccountOpened' && !(steps as readonly string[]).includes(type),
    );
    expect(others).toHaveLength(6);
    expect(others.map(eventSchemaVersion)).toStrictEqual(others.map(() => 1));
  });

  it('recognises catalogue names and nothing else', () => {
    expect(isLedgerEventType('ledger.transfers.TransferFailed')).toBe(true);
    expect(isLedgerEventType('TransferFailed')).toBe(false);
    expect(isLedgerEventType('toString')).toBe(false);
  });
});
