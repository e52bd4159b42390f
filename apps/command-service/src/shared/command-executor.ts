import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { CommandAnswer, CommandTerms, EventValidator, executeCommand, KeyedMutex } from '@ledger/application';
import { LedgerCommand, streamIdOf } from '@ledger/domain';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { COMMAND_SERVICE_CONFIG, CommandServiceConfig } from '../config';
import { COMMAND_METRICS, CommandMetrics } from './command-metrics';
import { mapCommandError } from './problem-mapping';

export const EVENT_VALIDATOR = Symbol('EVENT_VALIDATOR');

/**
 * Runs a command the way this service does: one at a time per stream within the process (fewer conflicts
 * to retry), with the configured snapshots, conflict retries and schema check, timed per command type.
 */
@Injectable()
export class CommandExecutor {
  private readonly streams = new KeyedMutex();
  /** This process's latest state per stream (COMMAND_STATE_CACHE_SIZE; absent when 0). */
  private readonly stateCache: LRUCache<string, { state: unknown; version: number }> | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(COMMAND_SERVICE_CONFIG) private readonly config: CommandServiceConfig,
    @Inject(EVENT_VALIDATOR) private readonly validate: EventValidator | undefined,
    @Inject(COMMAND_METRICS) private readonly metrics: CommandMetrics,
  ) {
    const max = config.COMMAND_STATE_CACHE_SIZE;
    this.stateCache = max > 0 ? new LRUCache({ max }) : undefined;
  }

  async execute(command: LedgerCommand, terms: CommandTerms): Promise<CommandAnswer> {
    const stop = this.metrics.latency.startTimer({ command: command.type });
    try {
      const answer = await this.streams.run(streamIdOf(command), () =>
        executeCommand(this.store, command, terms, {
          snapshotEvery: this.config.SNAPSHOT_EVERY || undefined,
          maxConflictRetries: this.config.COMMAND_CONFLICT_RETRIES,
          validate: this.validate,
          onConflict: () => this.metrics.conflicts.inc({ command: command.type }),
          stateCache: this.stateCache,
        }),
      );
      stop({ outcome: 'accepted' });
      return answer;
    } catch (error) {
      // `refused`: the caller's to fix (4xx); `failed`: ours (database down, defect), what availability counts.
      const status = mapCommandError(error)?.status ?? 500;
      stop({ outcome: status < 500 ? 'refused' : 'failed' });
      throw error;
    }
  }
}
