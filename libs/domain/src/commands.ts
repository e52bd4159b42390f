import type { AccountCommand } from './accounts/commands';
import { accountDecider } from './accounts/decider';
import type { AccountEvent } from './accounts/events';
import type { AccountState } from './accounts/state';
import type { Decider, DomainEvent } from './shared/decider';
import { accountStreamId, transferStreamId } from './shared/stream-ids';
import type { TransferCommand } from './transfers/commands';
import { transferDecider } from './transfers/decider';
import type { TransferEvent } from './transfers/events';
import { checkTransferAccounts } from './transfers/preconditions';
import type { TransferState, TransferStatus } from './transfers/state';

/**
 * How a command is issued. A client command's stored idempotency keys start with its scope (these scopes
 * are stored data: renaming one would make a repeated request after an upgrade run again). Saga steps are
 * keyed by their deterministic command ids instead, and only the saga's identity may issue them.
 */
export type CommandDeclaration = { issuedBy: 'client'; idempotencyScope: string } | { issuedBy: 'saga' };

/**
 * Accounts a command must see besides its own stream, and the pure rule that judges them: it refuses the
 * command or returns it completed (its defaults resolved from those accounts). The first account is the
 * one the command acts for: a caller's ownership rule is judged on it before this rule runs.
 */
export interface Precondition<C> {
  /** Ids of the accounts to load, or undefined when this command needs none. */
  accounts(command: C): string[] | undefined;
  check(command: C, accounts: AccountState[]): C;
}

/** One aggregate: its decider, where its commands go, how each is issued, and what its answer shows. */
export interface AggregateRegistry<
  T extends string,
  C extends { type: string },
  E extends DomainEvent,
  S,
  O,
> {
  readonly streamType: T;
  readonly decider: Decider<C, E, S>;
  streamId(command: C): string;
  readonly commands: { readonly [K in C['type']]: CommandDeclaration };
  readonly precondition?: Precondition<C>;
  /** For an account stream, the account a caller's ownership rule judges: its own state. */
  readonly ownAccount?: (state: S) => AccountState;
  /** What a client learns from a command's answer: the state its events produced, never a read model. */
  outcome(state: S): O;
}

/** An account as a command leaves it. */
export interface AccountOutcome {
  status: AccountState['status'];
  currency: string | null;
  balance: number;
  /** What a debit may take now: the balance plus the overdraft limit (the daily limit aside). */
  availableBalance: number;
}

export interface TransferOutcome {
  status: TransferStatus;
  /** Which step failed, for a failed transfer. */
  failedStage?: 'debit' | 'credit';
}

/** Each command of the Account aggregate, declared once. */
const accountDeclarations = {
  OpenAccount: { issuedBy: 'client', idempotencyScope: 'open-account' },
  DepositMoney: { issuedBy: 'client', idempotencyScope: 'DepositMoney' },
  WithdrawMoney: { issuedBy: 'client', idempotencyScope: 'WithdrawMoney' },
  FreezeAccount: { issuedBy: 'client', idempotencyScope: 'FreezeAccount' },
  UnfreezeAccount: { issuedBy: 'client', idempotencyScope: 'UnfreezeAccount' },
  CloseAccount: { issuedBy: 'client', idempotencyScope: 'CloseAccount' },
  DebitForTransfer: { issuedBy: 'saga' },
  CreditForTransfer: { issuedBy: 'saga' },
  RefundTransfer: { issuedBy: 'saga' },
} as const satisfies Record<AccountCommand['type'], CommandDeclaration>;

/** Each command of the Transfer aggregate, declared once. */
const transferDeclarations = {
  RequestTransfer: { issuedBy: 'client', idempotencyScope: 'request-transfer' },
  RecordSourceDebited: { issuedBy: 'saga' },
  CompleteTransfer: { issuedBy: 'saga' },
  RecordCreditRefused: { issuedBy: 'saga' },
  FailTransfer: { issuedBy: 'saga' },
} as const satisfies Record<TransferCommand['type'], CommandDeclaration>;

export const accountCommands: AggregateRegistry<
  'account',
  AccountCommand,
  AccountEvent,
  AccountState,
  AccountOutcome
> = {
  streamType: 'account',
  decider: accountDecider,
  streamId: (command) => accountStreamId(command.accountId),
  ownAccount: (state) => state,
  commands: accountDeclarations,

  outcome: (state) =>
    state.status === 'notOpened'
      ? { status: state.status, currency: null, balance: 0, availableBalance: 0 }
      : {
          status: state.status,
          currency: state.currency,
          balance: state.balance,
          availableBalance: state.balance + state.overdraftLimit,
        },
};

export const transferCommands: AggregateRegistry<
  'transfer',
  TransferCommand,
  TransferEvent,
  TransferState,
  TransferOutcome
> = {
  streamType: 'transfer',
  decider: transferDecider,
  streamId: (command) => transferStreamId(command.transferId),
  commands: transferDeclarations,

  // A request is judged against both accounts as they are now; the saga's steps need nothing more.
  precondition: {
    accounts: (command) =>
      command.type === 'RequestTransfer' ? [command.fromAccountId, command.toAccountId] : undefined,
    check: (command, [source, destination]) =>
      command.type === 'RequestTransfer' ? checkTransferAccounts(command, source!, destination!) : command,
  },
  outcome: (state) =>
    state.status === 'failed' ? { status: state.status, failedStage: state.stage } : { status: state.status },
};

export type LedgerCommand = AccountCommand | TransferCommand;
export type LedgerCommandType = LedgerCommand['type'];

const declarations = { ...accountDeclarations, ...transferDeclarations };

export const isTransferCommand = (command: LedgerCommand): command is TransferCommand =>
  Object.hasOwn(transferCommands.commands, command.type);

/** The stream a command goes to. */
export const streamIdOf = (command: LedgerCommand): string =>
  isTransferCommand(command) ? transferCommands.streamId(command) : accountCommands.streamId(command);

export const commandDeclaration = <K extends LedgerCommandType>(type: K): (typeof declarations)[K] =>
  declarations[type];

/** Client commands by type, with their idempotency scopes. */
export type ClientCommandType = {
  [K in LedgerCommandType]: (typeof declarations)[K] extends { issuedBy: 'client' } ? K : never;
}[LedgerCommandType];

/** The command types the saga's identity may issue: the steps of a transfer already requested. */
export const SAGA_STEP_COMMANDS: ReadonlySet<LedgerCommandType> = new Set(
  Object.entries(declarations).flatMap(([type, declaration]) =>
    declaration.issuedBy === 'saga' ? [type as LedgerCommandType] : [],
  ),
);

/** The aggregates by stream type. */
export const aggregates = { account: accountCommands, transfer: transferCommands } as const;
export type StreamType = keyof typeof aggregates;

export const isStreamType = (value: string): value is StreamType => Object.hasOwn(aggregates, value);

/** The decider of a stream type, with its own command, event and state types. */
export function deciderFor<T extends StreamType>(streamType: T): (typeof aggregates)[T]['decider'] {
  return aggregates[streamType].decider;
}

/** A decider as tools that only fold see it (inspection, snapshot rebuilds): any event in, some state out. */
export type FoldingDecider = Decider<never, AccountEvent | TransferEvent, unknown>;

/** The decider of the stream a stream id names (`<streamType>-<id>`), or undefined for another id. */
export function deciderOfStream(streamId: string): FoldingDecider | undefined {
  const streamType = streamId.slice(0, streamId.indexOf('-'));
  if (!isStreamType(streamType)) return undefined;
  const decider: FoldingDecider = deciderFor(streamType);
  return decider;
}
