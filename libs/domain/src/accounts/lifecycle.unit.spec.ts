import { spec } from '@ledger/testing';
import type { AccountCommand } from './commands';
import { accountDecider } from './decider';
import { ACCOUNT, T0, closed, deposited, frozen, opened, unfrozen, withdrawn } from './spec-fixtures';

const freeze: AccountCommand = {
  type: 'FreezeAccount',
  accountId: ACCOUNT,
  reason: 'suspected fraud',
  now: T0,
};
const unfreeze: AccountCommand = { type: 'UnfreezeAccount', accountId: ACCOUNT, now: T0 };
const close: AccountCommand = { type: 'CloseAccount', accountId: ACCOUNT, now: T0 };

describe('FreezeAccount', () => {
  it('freezes an open account with its reason', () => {
    spec(accountDecider)
      .given([opened()])
      .when(freeze)
      .then([frozen('suspected fraud')]);
  });

  it('refuses to freeze an account that is already frozen', () => {
    spec(accountDecider).given([opened(), frozen()]).when(freeze).thenThrows('INVALID_STATE');
  });

  it('refuses a closed account', () => {
    spec(accountDecider).given([opened(), closed()]).when(freeze).thenThrows('ACCOUNT_CLOSED');
  });
});

describe('UnfreezeAccount', () => {
  it('unfreezes a frozen account', () => {
    spec(accountDecider).given([opened(), frozen()]).when(unfreeze).then([unfrozen()]);
  });

  it('refuses an account that is not frozen', () => {
    spec(accountDecider).given([opened(), frozen(), unfrozen()]).when(unfreeze).thenThrows('INVALID_STATE');
  });

  it('refuses a closed account', () => {
    spec(accountDecider).given([opened(), frozen(), closed()]).when(unfreeze).thenThrows('ACCOUNT_CLOSED');
  });
});

describe('CloseAccount', () => {
  it('closes an account whose balance is zero', () => {
    spec(accountDecider)
      .given([opened(), deposited(300), withdrawn(300)])
      .when(close)
      .then([closed()]);
  });

  it('closes a frozen account whose balance is zero', () => {
    spec(accountDecider).given([opened(), frozen()]).when(close).then([closed()]);
  });

  it('refuses a positive balance', () => {
    spec(accountDecider)
      .given([opened(), deposited(1)])
      .when(close)
      .thenThrows('NON_ZERO_BALANCE');
  });

  it('refuses an overdrawn balance', () => {
    spec(accountDecider)
      .given([opened({ overdraftLimit: 100 }), withdrawn(40)])
      .when(close)
      .thenThrows('NON_ZERO_BALANCE');
  });

  it('refuses to close twice', () => {
    spec(accountDecider).given([opened(), closed()]).when(close).thenThrows('ACCOUNT_CLOSED');
  });
});
