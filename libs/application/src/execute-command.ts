import {
  accountCommands,
  AccountOutcome,
  accountStreamId,
  AccountState,
  AggregateRegistry,
  DomainEvent,
  isTransferCommand,
  LedgerCommand,
  transferCommands,
  TransferOutcome,
} from '@ledger/domain';
import { EventStore, loadAggregate } from '@ledger/event-store';
import { CommandHandlerOptions, CommandRequest, CommandResult, handleCommand } from './command-handler';

/** What a caller adds to a command: its concurrency and idempotency terms, its metadata, its ownership rule. */
export type CommandTerms = Pick<
  CommandRequest<unknown, unknown>,
  'expectedVersion' | 'idempotency' | 'metadata'
> & {
  /**
   * The caller's rule on the account the command acts for, run on that account as loaded (an account
   * command's own stream, a transfer request's source) before anything else is said about it.
   */
  authorize?: (account: AccountState) => void;
};

type Answer<A extends string, O> = Omit<CommandResult, 'state'> & { aggregate: A; outcome: O };
export type CommandAnswer = Answer<'account', AccountOutcome> | Answer<'transfer', TransferOutcome>;

/**
 * Runs any ledger command: the registry (libs/domain/src/commands.ts) says which aggregate and stream it
 * goes to and what it must check first; the answer carries what the command left the aggregate at.
 */
export async function executeCommand(
  store: EventStore,
  command: LedgerCommand,
  terms: CommandTerms,
  options: CommandHandlerOptions = {},
): Promise<CommandAnswer> {
  return isTransferCommand(command)
    ? { aggregate: 'transfer', ...(await run(store, transferCommands, command, terms, options)) }
    : { aggregate: 'account', ...(await run(store, accountCommands, command, terms, options)) };
}

async function run<T extends string, C extends { type: string }, E extends DomainEvent, S, O>(
  store: EventStore,
  registry: AggregateRegistry<T, C, E, S, O>,
  command: C,
  terms: CommandTerms,
  options: CommandHandlerOptions,
): Promise<Omit<CommandResult, 'state'> & { outcome: O }> {
  const { authorize, ...rest } = terms;
  const accountIds = registry.precondition?.accounts(command);
  let prepared = command;
  if (registry.precondition && accountIds) {
    const accounts = await Promise.all(
      accountIds.map(
        async (id) =>
          (
            await loadAggregate(store, accountCommands.decider, accountStreamId(id), {
              cache: options.stateCache,
            })
          ).state,
      ),
    );
    if (accounts[0]) authorize?.(accounts[0]);
    prepared = registry.precondition.check(command, accounts);
  }
  const ownAccount = registry.ownAccount;
  const { state, ...result } = await handleCommand(
    store,
    registry.decider,
    {
      ...rest,
      streamId: registry.streamId(prepared),
      command: prepared,
      authorize: ownAccount && authorize ? (loaded) => authorize(ownAccount(loaded)) : undefined,
    },
    options,
  );
  return { ...result, outcome: registry.outcome(state) };
}
