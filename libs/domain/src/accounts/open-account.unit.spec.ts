import { spec } from '@ledger/testing';
import type { AccountCommand } from './commands';
import { accountDecider } from './decider';
import {
  ACCOUNT,
  OTHER_ACCOUNT,
  OWNER,
  T0,
  TRANSFER,
  closed,
  deposited,
  opened,
  withdrawn,
} from './spec-fixtures';

const open = (overrides: Partial<Extract<AccountCommand, { type: 'OpenAccount' }>> = {}): AccountCommand => ({
  type: 'OpenAccount',
  accountId: ACCOUNT,
  ownerId: OWNER,
  currency: 'EUR',
  now: T0,
  ...overrides,
});

describe('OpenAccount', () => {
  it('opens with no overdraft and the default daily withdrawal limit', () => {
    spec(accountDecider).given([]).when(open()).then([opened()]);
  });

  it('records the overdraft and daily limits it is given', () => {
    spec(accountDecider)
      .given([])
      .when(open({ overdraftLimit: 5_000, dailyWithdrawalLimit: 20_000 }))
      .then([opened({ overdraftLimit: 5_000, dailyWithdrawalLimit: 20_000 })]);
  });

  it('refuses to open an account twice', () => {
    spec(accountDecider).given([opened()]).when(open()).thenThrows('ACCOUNT_ALREADY_OPEN');
  });

  it('refuses to reopen a closed account', () => {
    spec(accountDecider).given([opened(), closed()]).when(open()).thenThrows('ACCOUNT_ALREADY_OPEN');
  });

  it.each(['eur', 'EURO', 'E1R', ''])('refuses the currency code %j', (currency) => {
    spec(accountDecider).given([]).when(open({ currency })).thenThrows('INVALID_CURRENCY');
  });

  it.each([-1, 0.5, Number.NaN])('refuses the overdraft limit %p', (overdraftLimit) => {
    spec(accountDecider).given([]).when(open({ overdraftLimit })).thenThrows('INVALID_AMOUNT');
  });

  it.each([0, -100, 1.5, Number.MAX_SAFE_INTEGER + 1])(
    'refuses the daily limit %p',
    (dailyWithdrawalLimit) => {
      spec(accountDecider).given([]).when(open({ dailyWithdrawalLimit })).thenThrows('INVALID_AMOUNT');
    },
  );
});

describe('an account that was never opened', () => {
  const money = { accountId: ACCOUNT, amount: 100, currency: 'EUR', now: T0 };
  const transfer = { ...money, transferId: TRANSFER, counterpartyAccountId: OTHER_ACCOUNT, requestedAt: T0 };
  const commands: AccountCommand[] = [
    { type: 'DepositMoney', ...money },
    { type: 'WithdrawMoney', ...money },
    { type: 'FreezeAccount', accountId: ACCOUNT, reason: 'audit', now: T0 },
    { type: 'UnfreezeAccount', accountId: ACCOUNT, now: T0 },
    { type: 'CloseAccount', accountId: ACCOUNT, now: T0 },
    { type: 'DebitForTransfer', ...transfer },
    { type: 'CreditForTransfer', ...transfer },
    { type: 'RefundTransfer', ...money, transferId: TRANSFER, requestedAt: T0 },
  ];

  it.each(commands.map((command) => [command.type, command] as const))('refuses %s', (_type, command) => {
    spec(accountDecider).given([]).when(command).thenThrows('ACCOUNT_NOT_FOUND');
  });
});

describe('the account write state', () => {
  it('is plain JSON, so a snapshot restores it exactly', () => {
    const state = [opened(), deposited(500), withdrawn(200)].reduce(
      accountDecider.evolve,
      accountDecider.initialState,
    );
    expect(JSON.parse(JSON.stringify(state))).toStrictEqual(state);
  });
});
