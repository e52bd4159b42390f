import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import type { DecodedEvent } from '../event';
import { startProjector, type ProjectorHandle, type ProjectorOptions } from '../projector';

export const PROJECTOR_OPTIONS = Symbol('PROJECTOR_OPTIONS');

/** Starts the projector when the application has bootstrapped and stops it on shutdown. */
@Injectable()
export class ProjectorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private handle?: ProjectorHandle;

  constructor(@Inject(PROJECTOR_OPTIONS) private readonly options: ProjectorOptions<DecodedEvent>) {}

  /** True between a successful start and shutdown: a readiness probe can use it. */
  get running(): boolean {
    return this.handle !== undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.handle = await startProjector(this.options);
  }

  async onApplicationShutdown(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.stop();
  }
}

export interface ProjectorModuleOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Builds the projector's options from injected providers (Kafka client, pool, logger, codec). */
  useFactory: (...deps: never[]) => ProjectorOptions<DecodedEvent> | Promise<ProjectorOptions<DecodedEvent>>;
  inject?: (InjectionToken | OptionalFactoryDependency)[];
}

/** Nest adapter over `startProjector`: one module per projector app. */
@Module({})
export class ProjectorModule {
  static forRoot(options: ProjectorModuleOptions): DynamicModule {
    return {
      module: ProjectorModule,
      imports: options.imports ?? [],
      providers: [
        { provide: PROJECTOR_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        ProjectorLifecycle,
      ],
      exports: [ProjectorLifecycle],
    };
  }
}
