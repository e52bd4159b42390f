import type { AccountEvent } from '../accounts/events';
import { assertNever } from '../shared/decider';
import type { DomainError } from '../shared/errors';
import type { IsoTimestamp } from '../shared/time';
import type { TransferEvent } from './events';
import { toAccount, toTransfer, type SagaCommand } from './saga-commands';

/** A consumed event: its domain type and data plus the envelope fields the saga needs. */
export type SagaEvent = (AccountEvent | TransferEvent) & { streamId: string; eventId: string };

/** Why a transfer whose credit was refused ends failed once its source has its money back. */
export const REFUNDED_REASON = 'credit refused; source refunded';

/**
 * The transfer process: maps an event to the commands that follow it (see docs/events.md).
 * A step's business time is `now`, when the process handles the event and decides the step, never the time
 * of the request: a late step is booked when it happens, not in the past (docs/adr/0011-time-axes.md).
 * A redelivered event yields commands with the same deterministic ids, which is what makes it a no-op.
 */
export function react(event: SagaEvent, now: IsoTimestamp): SagaCommand[] {
  const cause = event.eventId;
  switch (event.type) {
    case 'ledger.transfers.TransferRequested': {
      const { transferId, fromAccountId, toAccountId, amount, currency, requestedAt } = event.data;
      const debit = {
        accountId: fromAccountId,
        counterpartyAccountId: toAccountId,
        transferId,
        amount,
        currency,
        requestedAt,
      };
      return [toAccount({ type: 'DebitForTransfer', ...debit, now }, 'debit', cause)];
    }
    case 'ledger.accounts.TransferDebited': {
      const { accountId, transferId, amount, currency, counterpartyAccountId, requestedAt } = event.data;
      // Recorded on the transfer first, so a completion can never overtake the debit there.
      const credit = {
        accountId: counterpartyAccountId,
        counterpartyAccountId: accountId,
        transferId,
        amount,
        currency,
        requestedAt,
      };
      return [
        toTransfer({ type: 'RecordSourceDebited', transferId, now, requestedAt }, 'record-debit', cause),
        toAccount({ type: 'CreditForTransfer', ...credit, now }, 'credit', cause),
      ];
    }
    case 'ledger.accounts.TransferCredited': {
      const { transferId, requestedAt } = event.data;
      return [toTransfer({ type: 'CompleteTransfer', transferId, now, requestedAt }, 'complete', cause)];
    }
    case 'ledger.accounts.TransferRefunded': {
      const { transferId, requestedAt } = event.data;
      const fail = {
        type: 'FailTransfer',
        transferId,
        stage: 'credit',
        reason: REFUNDED_REASON,
        now,
        requestedAt,
      } as const;
      return [toTransfer(fail, 'fail', cause)];
    }
    case 'ledger.accounts.AccountOpened':
    case 'ledger.accounts.MoneyDeposited':
    case 'ledger.accounts.MoneyWithdrawn':
    case 'ledger.accounts.AccountFrozen':
    case 'ledger.accounts.AccountUnfrozen':
    case 'ledger.accounts.AccountClosed':
    case 'ledger.transfers.TransferSourceDebited':
    case 'ledger.transfers.TransferCompleted':
    case 'ledger.transfers.TransferCreditRefused':
    case 'ledger.transfers.TransferFailed':
      return [];
    default:
      return assertNever(event);
  }
}

/**
 * Compensations for a saga command refused by a rule (a DomainError; infrastructure errors are retried,
 * never compensated). A refused debit fails the transfer; a refused credit is recorded and the source
 * refunded. Any other refusal means the process is inconsistent and is left to an operator.
 */
export function onCommandRejected(rejected: SagaCommand, error: DomainError): SagaCommand[] {
  const cause = rejected.commandId;
  const { command } = rejected;
  switch (command.type) {
    case 'DebitForTransfer': {
      const { transferId, now, requestedAt } = command;
      return [
        toTransfer(
          { type: 'FailTransfer', transferId, stage: 'debit', reason: error.code, now, requestedAt },
          'fail',
          cause,
        ),
      ];
    }
    case 'CreditForTransfer': {
      const { transferId, amount, currency, counterpartyAccountId, now, requestedAt } = command;
      const refund = {
        type: 'RefundTransfer',
        accountId: counterpartyAccountId,
        transferId,
        amount,
        currency,
        now,
        requestedAt,
      } as const;
      return [
        toTransfer(
          { type: 'RecordCreditRefused', transferId, reason: error.code, now, requestedAt },
          'record-credit-refused',
          cause,
        ),
        toAccount(refund, 'refund', cause),
      ];
    }
    case 'OpenAccount':
    case 'DepositMoney':
    case 'WithdrawMoney':
    case 'FreezeAccount':
    case 'UnfreezeAccount':
    case 'CloseAccount':
    case 'RefundTransfer':
    case 'RequestTransfer':
    case 'RecordSourceDebited':
    case 'CompleteTransfer':
    case 'RecordCreditRefused':
    case 'FailTransfer':
      return [];
    default:
      return assertNever(command);
  }
}
