import { randomUUID } from 'node:crypto';
import { eventSchemaVersion, type AccountCommand, type MoneyDepositedData } from '@ledger/domain';
import type { EventMetadata, NewEvent } from '@ledger/event-store';

// One event shape for every variant, so the store and the raw INSERT baseline write rows of equal size.

export const DEPOSITED = 'ledger.accounts.MoneyDeposited' as const;
export const AMOUNT = 1_000;

export const depositData = (accountId: string, now: string): MoneyDepositedData => ({
  accountId,
  amount: AMOUNT,
  currency: 'EUR',
  reference: 'bench-deposit',
  depositedAt: now,
});

/** What the command service attaches to every event of a request. */
export const requestMetadata = (): EventMetadata => ({ correlationId: randomUUID(), actor: 'bench-client' });

export const depositEvent = (accountId: string): NewEvent<MoneyDepositedData> => ({
  type: DEPOSITED,
  schemaVersion: eventSchemaVersion(DEPOSITED),
  data: depositData(accountId, new Date().toISOString()),
  metadata: requestMetadata(),
});

export const openAccount = (accountId: string): AccountCommand => ({
  type: 'OpenAccount',
  accountId,
  ownerId: 'bench-owner',
  currency: 'EUR',
  now: new Date().toISOString(),
});

export const depositMoney = (accountId: string): AccountCommand => ({
  type: 'DepositMoney',
  accountId,
  amount: AMOUNT,
  currency: 'EUR',
  reference: 'bench-deposit',
  now: new Date().toISOString(),
});
