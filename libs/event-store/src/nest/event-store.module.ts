import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '../event-store';
import { PostgresEventStore } from '../postgres/postgres-event-store';
import type { UpcasterRegistry } from '../upcasters';

/** Injection token of the EventStore (also a CheckpointStore). */
export const EVENT_STORE = Symbol('EVENT_STORE');

export interface EventStoreModuleOptions {
  readonly url: string;
  readonly poolSize?: number;
  readonly upcasters?: UpcasterRegistry;
  /** At most one wake-up NOTIFY per this many milliseconds after appends (ADR 0015). */
  readonly appendNotifyIntervalMs?: number;
}

/** Provides a PostgresEventStore under EVENT_STORE and closes its pool when the application shuts down. */
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static forRoot(options: EventStoreModuleOptions): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        {
          provide: EVENT_STORE,
          useFactory: () =>
            new PostgresEventStore({
              connectionString: options.url,
              poolSize: options.poolSize,
              upcasters: options.upcasters,
              appendNotifyIntervalMs: options.appendNotifyIntervalMs,
            }),
        },
      ],
      exports: [EVENT_STORE],
    };
  }

  // After every other module's destroy hooks, so nothing still appends through a closed pool.
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
