import { assertNever, fold, type Decider, type DomainEvent } from './shared/decider';
import type { IsoTimestamp } from './shared/time';
import type { LedgerEvent } from './schema-versions';

/**
 * The two axes of a temporal question (docs/adr/0011-time-axes.md). `asOf` is business (valid) time: when
 * a fact takes effect for the ledger, the time the event carries. `knownAt` is record (transaction) time:
 * when the store recorded the event. "The balance at asOf as we knew it at knownAt" counts exactly the
 * events that took effect by asOf and were recorded by knownAt; with knownAt in the past, nothing recorded
 * later can change the answer.
 */
export interface TimeAxes {
  readonly asOf: IsoTimestamp;
  readonly knownAt: IsoTimestamp;
}

/** The business time an event carries: the one field of each type that says when the fact took effect. */
export function businessTimeOf(event: LedgerEvent): IsoTimestamp {
  switch (event.type) {
    case 'ledger.accounts.AccountOpened':
      return event.data.openedAt;
    case 'ledger.accounts.MoneyDeposited':
      return event.data.depositedAt;
    case 'ledger.accounts.MoneyWithdrawn':
      return event.data.withdrawnAt;
    case 'ledger.accounts.TransferDebited':
      return event.data.debitedAt;
    case 'ledger.accounts.TransferCredited':
      return event.data.creditedAt;
    case 'ledger.accounts.TransferRefunded':
      return event.data.refundedAt;
    case 'ledger.accounts.AccountFrozen':
      return event.data.frozenAt;
    case 'ledger.accounts.AccountUnfrozen':
      return event.data.unfrozenAt;
    case 'ledger.accounts.AccountClosed':
      return event.data.closedAt;
    case 'ledger.transfers.TransferRequested':
      return event.data.requestedAt;
    case 'ledger.transfers.TransferSourceDebited':
      return event.data.debitedAt;
    case 'ledger.transfers.TransferCompleted':
      return event.data.completedAt;
    case 'ledger.transfers.TransferCreditRefused':
      return event.data.refusedAt;
    case 'ledger.transfers.TransferFailed':
      return event.data.failedAt;
    default:
      return assertNever(event);
  }
}

const millis = (time: IsoTimestamp | Date): number =>
  typeof time === 'string' ? Date.parse(time) : time.getTime();

/** Whether a fact with this business time and record time counts in an answer on these axes (both inclusive). */
export function isKnownAsOf(
  businessTime: IsoTimestamp,
  recordedAt: IsoTimestamp | Date,
  axes: TimeAxes,
): boolean {
  return millis(businessTime) <= millis(axes.asOf) && millis(recordedAt) <= millis(axes.knownAt);
}

/** A stored event: the domain event and when the store recorded it. */
export type RecordedLedgerEvent = DomainEvent & { readonly recordedAt: IsoTimestamp | Date };

/**
 * Folds a stream, in stream order, over the events that count on these axes. Stream order is kept because
 * business times of one stream need not grow with its versions (two writers decide at nearly the same time).
 * Returns the state and the events it counted (none when the stream did not exist yet on these axes).
 */
export function foldAsOf<E extends DomainEvent, S>(
  decider: Decider<never, E, S>,
  events: readonly RecordedLedgerEvent[],
  axes: TimeAxes,
): { state: S; counted: RecordedLedgerEvent[] } {
  const counted = events.filter((event) =>
    isKnownAsOf(businessTimeOf(event as unknown as LedgerEvent), event.recordedAt, axes),
  );
  const state = fold(decider, counted as unknown as E[]);
  return { state, counted };
}
