import type { LedgerEventType } from '../schema-versions';

/**
 * Version 1 of every transfer step (debit, credit, refund on the accounts; source debited, completed, credit
 * refused, failed on the transfer) was stamped with the transfer's request time instead of its own: the
 * process copied the time of the fact that caused it, back to the request. Version 2 stamps each step with
 * the time it was decided and carries the request time in `requestedAt`. A v1 event's step time is kept as
 * it was stored (an "as of" answer about the past must not move), so it stays frozen at the request; only
 * `requestedAt` is filled in from it. docs/adr/0011-time-axes.md
 */
export const FROZEN_STEP_TIMES = {
  'ledger.accounts.TransferDebited': 'debitedAt',
  'ledger.accounts.TransferCredited': 'creditedAt',
  'ledger.accounts.TransferRefunded': 'refundedAt',
  'ledger.transfers.TransferSourceDebited': 'debitedAt',
  'ledger.transfers.TransferCompleted': 'completedAt',
  'ledger.transfers.TransferCreditRefused': 'refusedAt',
  'ledger.transfers.TransferFailed': 'failedAt',
} as const satisfies Partial<Record<LedgerEventType, string>>;

export type FrozenStepType = keyof typeof FROZEN_STEP_TIMES;

/** Upcasts a v1 transfer step to v2: its frozen time was the request's, so that is its `requestedAt`. */
export function upcastTransferStepV1(type: FrozenStepType) {
  const field = FROZEN_STEP_TIMES[type];
  return <T extends Record<string, unknown>>(data: T): T & { requestedAt: string } => ({
    ...data,
    requestedAt: data[field] as string,
  });
}
