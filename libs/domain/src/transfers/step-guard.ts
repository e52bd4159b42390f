import type { AccountCommand } from '../accounts/commands';
import type { TransferStatus } from './state';

/**
 * Whether a money-moving saga step still fits the transfer's recorded state. A refused step records
 * nothing on the account, so when its event is redelivered later the step could now succeed (the
 * source has funds, the destination was unfrozen) after the transfer already failed or was refunded.
 * Checking the transfer first keeps such a late step from moving money twice.
 */
export function isStepStillWanted(status: TransferStatus, command: AccountCommand): boolean {
  switch (command.type) {
    case 'DebitForTransfer':
      return status === 'requested' || status === 'debited';
    case 'CreditForTransfer':
      return status === 'debited' || status === 'completed';
    case 'RefundTransfer':
      return status === 'creditRefused' || status === 'failed';
    default:
      return true;
  }
}
