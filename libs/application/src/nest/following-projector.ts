import { Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ProjectorHandle } from '@ledger/projections';
import type { ActiveVersion } from '@ledger/read-models';
import type { RuntimeLogger } from '@ledger/runtime';

export interface FollowingProjectorOptions {
  /** The version the canonical tables hold now (`read_model_active`). */
  resolve: () => Promise<ActiveVersion>;
  /** Starts the projector of a version: its consumer group, writing the canonical tables. */
  start: (active: ActiveVersion) => Promise<ProjectorHandle>;
  pollMs: number;
  logger: RuntimeLogger;
}

/**
 * Runs the live projector of the active read-model version and follows a rebuild's swap (ADR 0020): when
 * `read_model_active` names another consumer group, it stops the old one (whose batches the swap already
 * refuses) and starts on the new group, which resumes from the rebuild's committed offsets and checkpoints.
 */
@Injectable()
export class FollowingProjector implements OnApplicationBootstrap, OnApplicationShutdown {
  private current?: { active: ActiveVersion; handle: ProjectorHandle };
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;
  private stopped = false;

  constructor(private readonly options: FollowingProjectorOptions) {}

  get running(): boolean {
    return this.current !== undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    const active = await this.options.resolve();
    this.current = { active, handle: await this.options.start(active) };
    this.timer = setInterval(() => {
      this.checking ??= this.check().finally(() => (this.checking = undefined));
    }, this.options.pollMs);
    this.timer.unref();
  }

  private async check(): Promise<void> {
    const { logger } = this.options;
    try {
      const active = await this.options.resolve();
      const current = this.current;
      if (this.stopped || (current && current.active.group === active.group)) return;
      logger.info(
        { from: current?.active.group, to: active.group },
        'read model version swapped: switching group',
      );
      this.current = undefined;
      await current?.handle.stop();
      if (this.stopped) return;
      this.current = { active, handle: await this.options.start(active) };
    } catch (error) {
      // The database or Kafka is away: the next tick tries again (a failed start leaves no projector running).
      logger.warn({ error: (error as Error).message }, 'following the active read model version failed');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.checking;
    const current = this.current;
    this.current = undefined;
    await current?.handle.stop();
  }
}

/** Holds the follower as a provider, so Nest runs its bootstrap and shutdown hooks. */
@Module({})
export class FollowingProjectorModule {}
