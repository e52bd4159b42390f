import { assertNever, type Decider } from '../shared/decider';
import { DomainError } from '../shared/errors';
import { assertCurrencyCode, assertPositiveAmount } from '../shared/money';
import type { RequestTransfer, TransferCommand } from './commands';
import type { TransferEvent, TransferRequested } from './events';
import { evolveTransfer, initialTransferState, type TransferState } from './state';

/** A state name that also tells the two failures apart. */
type Position = Exclude<TransferState['status'], 'failed'> | 'failed:debit' | 'failed:credit';

const positionOf = (state: TransferState): Position =>
  state.status === 'failed' ? `failed:${state.stage}` : state.status;

/**
 * Saga steps arrive at least once and may be retried after they took effect: a step whose outcome is
 * already part of the state yields no events; a step that does not follow from the state is refused.
 */
function step(
  state: TransferState,
  transferId: string,
  from: Position,
  reached: readonly Position[],
): boolean {
  const position = positionOf(state);
  if (position === 'notRequested') {
    throw new DomainError('TRANSFER_NOT_FOUND', `transfer ${transferId} does not exist`);
  }
  if (reached.includes(position)) return false;
  if (position !== from) {
    throw new DomainError('INVALID_STATE', `transfer ${transferId} is ${position}, expected ${from}`);
  }
  return true;
}

function requestTransfer(command: RequestTransfer, state: TransferState): TransferRequested[] {
  const { transferId, fromAccountId, toAccountId, amount, currency, now } = command;
  if (state.status !== 'notRequested') {
    throw new DomainError('TRANSFER_ALREADY_EXISTS', `transfer ${transferId} already exists`);
  }
  assertPositiveAmount(amount);
  if (currency === undefined)
    throw new DomainError('INVALID_CURRENCY', `transfer ${transferId} names no currency`);
  assertCurrencyCode(currency);
  if (fromAccountId === toAccountId) {
    throw new DomainError('SAME_ACCOUNT', `account ${fromAccountId} cannot transfer to itself`);
  }
  return [
    {
      type: 'ledger.transfers.TransferRequested',
      data: { transferId, fromAccountId, toAccountId, amount, currency, requestedAt: now },
    },
  ];
}

function decideTransfer(command: TransferCommand, state: TransferState): TransferEvent[] {
  const { transferId, now } = command;
  const requestedAt = command.type === 'RequestTransfer' ? now : command.requestedAt;
  switch (command.type) {
    case 'RequestTransfer':
      return requestTransfer(command, state);
    case 'RecordSourceDebited':
      return step(state, transferId, 'requested', ['debited', 'completed', 'creditRefused', 'failed:credit'])
        ? [
            {
              type: 'ledger.transfers.TransferSourceDebited',
              data: { transferId, debitedAt: now, requestedAt },
            },
          ]
        : [];
    case 'CompleteTransfer':
      return step(state, transferId, 'debited', ['completed'])
        ? [
            {
              type: 'ledger.transfers.TransferCompleted',
              data: { transferId, completedAt: now, requestedAt },
            },
          ]
        : [];
    case 'RecordCreditRefused':
      return step(state, transferId, 'debited', ['creditRefused', 'failed:credit'])
        ? [
            {
              type: 'ledger.transfers.TransferCreditRefused',
              data: { transferId, reason: command.reason, refusedAt: now, requestedAt },
            },
          ]
        : [];
    case 'FailTransfer': {
      // A debit failure ends a requested transfer; a credit failure ends one whose source was refunded.
      const from = command.stage === 'debit' ? 'requested' : 'creditRefused';
      return step(state, transferId, from, [`failed:${command.stage}`])
        ? [
            {
              type: 'ledger.transfers.TransferFailed',
              data: { transferId, stage: command.stage, reason: command.reason, failedAt: now, requestedAt },
            },
          ]
        : [];
    }
    default:
      return assertNever(command);
  }
}

/** The Transfer aggregate: stream type `transfer`, streams `transfer-<uuid>`. */
export const transferDecider: Decider<TransferCommand, TransferEvent, TransferState> = {
  streamType: 'transfer',
  stateVersion: 1,
  initialState: initialTransferState,
  decide: decideTransfer,
  evolve: evolveTransfer,
};
