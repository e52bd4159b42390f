import {
  isDomainError,
  isStepStillWanted,
  onCommandRejected,
  react,
  SAGA_STEP_COMMANDS,
  SagaCommand,
  SagaEvent,
  transferDecider,
  transferStreamId,
} from '@ledger/domain';
import { SAGA_IDENTITY, SERVICE_ROLE } from '@ledger/auth';
import { EventMetadata, EventStore, IdempotencyKeyConflictError, loadAggregate } from '@ledger/event-store';
import type { RuntimeLogger } from '@ledger/runtime';
import { CommandHandlerOptions } from './command-handler';
import { executeCommand } from './execute-command';

export interface SagaOutcome {
  executed: string[];
  skipped: string[];
  refused: Array<{ commandId: string; code: string }>;
}

export class SagaCommandNotAllowedError extends Error {
  override readonly name = 'SagaCommandNotAllowedError';
}

/**
 * Throws unless the saga's identity may issue this command type: the steps of a transfer already requested
 * (and authorized) by its owner, as the registry declares them. It can neither open, deposit, withdraw,
 * freeze nor request a transfer.
 */
export function assertSagaStep(commandType: string): void {
  if (!(SAGA_STEP_COMMANDS as ReadonlySet<string>).has(commandType))
    throw new SagaCommandNotAllowedError(`${SAGA_IDENTITY} may not issue ${commandType}`);
}

export interface TransferSagaOptions extends CommandHandlerOptions {
  logger?: Pick<RuntimeLogger, 'warn'>;
  /** The business time of a step: when the saga decides it. Default: the system clock. */
  clock?: () => Date;
}

/**
 * What identifies a step for its idempotency key: the command without its time. A redelivery decides the
 * step again later, so its time differs; it is still the same step and must find the same key.
 */
const stepFingerprint = ({ now: _now, ...rest }: SagaCommand['command']) => rest;

/**
 * Runs the transfer process against the event store: each event's follow-up commands, with their
 * deterministic ids as idempotency keys, and the compensations when a rule refuses one. Infrastructure
 * errors propagate so the transport redelivers the event; a redelivery repeats nothing (idempotency
 * keys, and each account remembers the transfer steps it applied).
 */
export class TransferSaga {
  constructor(
    private readonly store: EventStore,
    private readonly options: TransferSagaOptions = {},
  ) {}

  /**
   * `metadata` carries the triggering event's correlation and its originating actor (`originActor`): the
   * events the saga records name the saga as their actor and that subject as the one it acted for.
   */
  async handle(event: SagaEvent, metadata: EventMetadata = {}): Promise<SagaOutcome> {
    const outcome: SagaOutcome = { executed: [], skipped: [], refused: [] };
    const queue = react(event, (this.options.clock?.() ?? new Date()).toISOString());
    while (queue.length > 0) {
      const next = queue.shift()!;
      try {
        if (await this.execute(next, metadata)) outcome.executed.push(next.commandId);
        else outcome.skipped.push(next.commandId);
      } catch (error) {
        // The key exists, so this step ran: its id names the transfer and the step. Only the fingerprint
        // differs, as for a step an earlier release recorded with its time (or without requestedAt).
        if (error instanceof IdempotencyKeyConflictError) {
          outcome.skipped.push(next.commandId);
          continue;
        }
        if (!isDomainError(error)) throw error;
        outcome.refused.push({ commandId: next.commandId, code: error.code });
        const compensations = onCommandRejected(next, error);
        if (compensations.length === 0) {
          this.options.logger?.warn(
            { commandId: next.commandId, code: error.code },
            'saga step refused with no compensation; needs an operator',
          );
        }
        queue.unshift(...compensations);
      }
    }
    return outcome;
  }

  /** Returns false when the step no longer fits the transfer (a late redelivery) and was skipped. */
  private async execute(saga: SagaCommand, metadata: EventMetadata): Promise<boolean> {
    assertSagaStep(saga.command.type);
    if (saga.target === 'account' && 'transferId' in saga.command) {
      const transfer = await loadAggregate(
        this.store,
        transferDecider,
        transferStreamId(saga.command.transferId),
      );
      if (!isStepStillWanted(transfer.state.status, saga.command)) return false;
    }
    await executeCommand(
      this.store,
      saga.command,
      {
        idempotency: { key: `saga:${saga.commandId}`, request: stepFingerprint(saga.command) },
        metadata: {
          ...metadata,
          actor: SAGA_IDENTITY,
          actorRole: SERVICE_ROLE,
          causationId: saga.causationId,
          commandId: saga.commandId,
        },
      },
      this.options,
    );
    return true;
  }
}
