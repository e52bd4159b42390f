import { mapCommandError } from './problem-mapping';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRequest, CommandResult, EventValidator, handleCommand, KeyedMutex } from '@ledger/application';
import { accountDecider, Decider, DomainEvent, transferDecider } from '@ledger/domain';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { COMMAND_SERVICE_CONFIG, CommandServiceConfig } from '../config';
import { COMMAND_METRICS, CommandMetrics } from './command-metrics';

export const EVENT_VALIDATOR = Symbol('EVENT_VALIDATOR');

const deciders = { account: accountDecider, transfer: transferDecider } as const;
type Target = keyof typeof deciders;
type DeciderOf<T extends Target> = (typeof deciders)[T];
type CommandOf<T extends Target> = Parameters<DeciderOf<T>['decide']>[0];
type StateOf<T extends Target> = Parameters<DeciderOf<T>['decide']>[1];

/**
 * The single command the bus carries: which aggregate, and the domain command for it. Commands are
 * routed by aggregate, not by class name, so a new use case adds no handler.
 */
export class ExecuteCommand<T extends Target = Target> {
  constructor(
    readonly target: T,
    readonly name: string,
    readonly request: CommandRequest<CommandOf<T>, StateOf<T>>,
  ) {}
}

@CommandHandler(ExecuteCommand)
export class ExecuteCommandHandler implements ICommandHandler<ExecuteCommand, CommandResult> {
  private readonly streams = new KeyedMutex();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(COMMAND_SERVICE_CONFIG) private readonly config: CommandServiceConfig,
    @Inject(EVENT_VALIDATOR) private readonly validate: EventValidator | undefined,
    @Inject(COMMAND_METRICS) private readonly metrics: CommandMetrics,
  ) {}

  async execute(command: ExecuteCommand): Promise<CommandResult> {
    const stop = this.metrics.latency.startTimer({ command: command.name });
    try {
      // The target and the request were typed together in ExecuteCommand; here they only travel on.
      const result = await this.streams.run(command.request.streamId, () =>
        handleCommand(
          this.store,
          deciders[command.target] as unknown as Decider<unknown, DomainEvent, unknown>,
          command.request as CommandRequest<unknown, unknown>,
          {
            snapshotEvery: this.config.SNAPSHOT_EVERY || undefined,
            maxConflictRetries: this.config.COMMAND_CONFLICT_RETRIES,
            validate: this.validate,
            onConflict: () => this.metrics.conflicts.inc({ command: command.name }),
          },
        ),
      );
      stop({ outcome: 'accepted' });
      return result;
    } catch (error) {
      // `refused`: the caller's to fix (4xx); `failed`: ours (database down, defect), what availability counts.
      const status = mapCommandError(error)?.status ?? 500;
      stop({ outcome: status < 500 ? 'refused' : 'failed' });
      throw error;
    }
  }
}
