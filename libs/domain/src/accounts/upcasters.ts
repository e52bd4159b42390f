import { DEFAULT_DAILY_WITHDRAWAL_LIMIT } from './decide-lifecycle';
import type { AccountOpenedData } from './events';

/** `ledger.accounts.AccountOpened` v1 had no daily withdrawal limit. */
export type AccountOpenedV1Data = Omit<AccountOpenedData, 'dailyWithdrawalLimit'>;

/** Upcasts AccountOpened v1 data to v2: accounts opened before limits existed get the default limit. */
export function upcastAccountOpenedV1(data: AccountOpenedV1Data): AccountOpenedData {
  const { accountId, ownerId, currency, overdraftLimit, openedAt } = data;
  return {
    accountId,
    ownerId,
    currency,
    overdraftLimit,
    dailyWithdrawalLimit: DEFAULT_DAILY_WITHDRAWAL_LIMIT,
    openedAt,
  };
}
