import type { AccountCommand } from '../accounts/commands';
import { accountStreamId, transferStreamId } from '../shared/stream-ids';
import type { TransferCommand } from './commands';

/** Suffix of a saga command id: `<transferId>:<step>`. */
export type SagaStep =
  'debit' | 'record-debit' | 'credit' | 'complete' | 'record-credit-refused' | 'refund' | 'fail';

interface SagaEnvelope {
  /** Deterministic, so the store's idempotency keys turn a redelivered event into a no-op. */
  commandId: string;
  streamId: string;
  /** Event id (or rejected command id) that caused this command, for the metadata. */
  causationId: string;
}
export type SagaCommand =
  | (SagaEnvelope & { target: 'account'; command: AccountCommand })
  | (SagaEnvelope & { target: 'transfer'; command: TransferCommand });

export const sagaCommandId = (transferId: string, step: SagaStep): string => `${transferId}:${step}`;

export function toAccount(
  command: AccountCommand & { transferId: string },
  step: SagaStep,
  causationId: string,
): SagaCommand {
  const commandId = sagaCommandId(command.transferId, step);
  return {
    target: 'account',
    commandId,
    streamId: accountStreamId(command.accountId),
    causationId,
    command,
  };
}

export function toTransfer(command: TransferCommand, step: SagaStep, causationId: string): SagaCommand {
  const commandId = sagaCommandId(command.transferId, step);
  return {
    target: 'transfer',
    commandId,
    streamId: transferStreamId(command.transferId),
    causationId,
    command,
  };
}
