import { EventSchemaViolationError, UnknownEventSchemaError } from './errors';
import { assertValidEvent, validateEvent } from './validate';

const deposit = {
  accountId: '6f1c2a9e-51b4-4d7e-9a53-0b8a2f3c4d5e',
  amount: 1250,
  currency: 'EUR',
  reference: null,
  depositedAt: '2025-03-01T09:30:00.000Z',
};

const violationsOf = (type: string, version: number, data: unknown) => {
  const result = validateEvent(type, version, data);
  return result.valid ? [] : result.violations;
};

describe('validateEvent', () => {
  it('accepts data that matches its schema, with or without a nullable reference', () => {
    expect(validateEvent('ledger.accounts.MoneyDeposited', 1, deposit)).toEqual({ valid: true });
    expect(validateEvent('ledger.accounts.MoneyDeposited', 1, { ...deposit, reference: 'rent' })).toEqual({
      valid: true,
    });
  });

  it('names a missing field, even a nullable one Avro would quietly encode as null', () => {
    const { reference: _reference, ...withoutReference } = deposit;

    expect(violationsOf('ledger.accounts.MoneyDeposited', 1, withoutReference)).toEqual([
      { path: 'reference', message: 'is missing' },
    ]);
  });

  it('refuses fields the schema does not declare instead of dropping them on the wire', () => {
    expect(violationsOf('ledger.accounts.MoneyDeposited', 1, { ...deposit, balance: 10 })).toEqual([
      { path: 'balance', message: 'is not declared in the schema' },
    ]);
  });

  it('refuses amounts that are not safe integers', () => {
    expect(violationsOf('ledger.accounts.MoneyDeposited', 1, { ...deposit, amount: 12.5 })).toEqual([
      { path: 'amount', message: 'expected a safe integer, got 12.5' },
    ]);
    expect(violationsOf('ledger.accounts.MoneyDeposited', 1, { ...deposit, amount: 2 ** 60 })).toHaveLength(
      1,
    );
  });

  it.each(['2025-03-01T09:30:00Z', '2025-03-01', '2025-03-01T10:30:00.000+01:00', 'yesterday'])(
    'refuses the timestamp %s, which would not survive a round trip unchanged',
    (depositedAt) => {
      expect(violationsOf('ledger.accounts.MoneyDeposited', 1, { ...deposit, depositedAt })).toEqual([
        { path: 'depositedAt', message: expect.stringContaining('Date#toISOString') },
      ]);
    },
  );

  it('refuses an id declared as a UUID that is not one', () => {
    expect(violationsOf('ledger.accounts.MoneyDeposited', 1, { ...deposit, accountId: 'account-1' })).toEqual(
      [{ path: 'accountId', message: 'expected a UUID, got "account-1"' }],
    );
  });

  it('refuses an enum value outside the schema and a wrong type in a nullable field', () => {
    const failed = {
      transferId: 'c0ffee00-0000-4000-8000-000000000001',
      stage: 'refund',
      reason: 'x',
      failedAt: deposit.depositedAt,
    };

    expect(violationsOf('ledger.transfers.TransferFailed', 1, failed)).toEqual([
      { path: 'stage', message: 'expected one of debit, credit, got "refund"' },
    ]);
    expect(violationsOf('ledger.accounts.MoneyDeposited', 1, { ...deposit, reference: 7 })).toEqual([
      { path: 'reference', message: 'expected null or string, got 7' },
    ]);
  });

  it('holds each version to its own schema', () => {
    const openedV1 = {
      accountId: deposit.accountId,
      ownerId: 'owner-1',
      currency: 'EUR',
      overdraftLimit: 0,
      openedAt: deposit.depositedAt,
    };

    expect(validateEvent('ledger.accounts.AccountOpened', 1, openedV1)).toEqual({ valid: true });
    expect(violationsOf('ledger.accounts.AccountOpened', 2, openedV1)).toEqual([
      { path: 'dailyWithdrawalLimit', message: 'is missing' },
    ]);
  });

  it('refuses data that is not an object', () => {
    expect(violationsOf('ledger.accounts.MoneyDeposited', 1, [deposit])).toEqual([
      { path: '', message: 'event data must be an object' },
    ]);
  });

  it('throws for an event type or version the catalogue does not have', () => {
    expect(() => validateEvent('ledger.accounts.MoneyGifted', 1, {})).toThrow(UnknownEventSchemaError);
    expect(() => validateEvent('ledger.accounts.MoneyDeposited', 2, deposit)).toThrow(
      UnknownEventSchemaError,
    );
  });

  it('assertValidEvent throws a typed error listing every violation', () => {
    const bad = { ...deposit, amount: -0.5, currency: undefined };

    expect(() => assertValidEvent('ledger.accounts.MoneyDeposited', 1, bad)).toThrow(
      EventSchemaViolationError,
    );
    expect(() => assertValidEvent('ledger.accounts.MoneyDeposited', 1, bad)).toThrow(
      /currency: is missing; amount: expected/,
    );
  });
});
