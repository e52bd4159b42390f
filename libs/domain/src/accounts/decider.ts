import { assertNever, type Decider } from '../shared/decider';
import type { AccountCommand } from './commands';
import { closeAccount, freezeAccount, openAccount, unfreezeAccount } from './decide-lifecycle';
import { depositMoney, withdrawMoney } from './decide-movements';
import { creditForTransfer, debitForTransfer, refundTransfer } from './decide-transfer-steps';
import type { AccountEvent } from './events';
import { evolveAccount, initialAccountState, type AccountState } from './state';

function decideAccount(command: AccountCommand, state: AccountState): AccountEvent[] {
  switch (command.type) {
    case 'OpenAccount':
      return openAccount(command, state);
    case 'DepositMoney':
      return depositMoney(command, state);
    case 'WithdrawMoney':
      return withdrawMoney(command, state);
    case 'FreezeAccount':
      return freezeAccount(command, state);
    case 'UnfreezeAccount':
      return unfreezeAccount(command, state);
    case 'CloseAccount':
      return closeAccount(command, state);
    case 'DebitForTransfer':
      return debitForTransfer(command, state);
    case 'CreditForTransfer':
      return creditForTransfer(command, state);
    case 'RefundTransfer':
      return refundTransfer(command, state);
    default:
      return assertNever(command);
  }
}

/** The Account aggregate: stream type `account`, streams `account-<uuid>`. */
export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  streamType: 'account',
  // 2: the state keeps the owner.
  stateVersion: 2,
  initialState: initialAccountState,
  decide: decideAccount,
  evolve: evolveAccount,
};
