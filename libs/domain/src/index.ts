/**
 * @ledger/domain — the pure ledger domain: the Account and Transfer aggregates as deciders
 * (`decide(command, state) → events`, `evolve(state, event) → state`) and the transfer process manager.
 * No I/O, clock or id generation: time and ids arrive in commands. Rule violations throw `DomainError`
 * with a stable `code`. Event `type` strings and fields are the wire contract of docs/events.md.
 */
export * from './shared/decider';
export * from './shared/errors';
export type { MinorUnits } from './shared/money';
export { MAX_MINOR_UNITS } from './shared/money';
export type { IsoTimestamp } from './shared/time';
export * from './shared/stream-ids';
export * from './schema-versions';
export * from './time-axes';
export * from './commands';

export type * from './accounts/commands';
export type * from './accounts/events';
export { evolveAccount, initialAccountState } from './accounts/state';
export type { AccountState, OpenedAccount, TransferStep } from './accounts/state';
export { accountDecider } from './accounts/decider';
export { DEFAULT_DAILY_WITHDRAWAL_LIMIT } from './accounts/decide-lifecycle';
export * from './accounts/upcasters';
export * from './transfers/upcasters';

export type * from './transfers/commands';
export type * from './transfers/events';
export { evolveTransfer, initialTransferState } from './transfers/state';
export type { TransferState, TransferStatus } from './transfers/state';
export { transferDecider } from './transfers/decider';
export * from './transfers/process-manager';
export { checkTransferAccounts } from './transfers/preconditions';
export type { SagaCommand, SagaStep } from './transfers/saga-commands';
export { isStepStillWanted } from './transfers/step-guard';
