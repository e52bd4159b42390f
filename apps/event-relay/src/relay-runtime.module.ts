import {
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { EventRelayConfig } from './config';
import { createEventRelay, type EventRelay, type EventRelayOptions } from './event-relay';

export const EVENT_RELAY = Symbol('EVENT_RELAY');

/**
 * Runs the relay as a managed service: connects (and provisions topics) while the app initialises, starts
 * competing for leadership once it has bootstrapped, and stops before the ops server closes, so probes
 * keep answering while the batch in flight finishes and the lock is released.
 */
@Module({})
export class RelayRuntimeModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(EVENT_RELAY) private readonly eventRelay: EventRelay) {}

  static forRoot(
    config: EventRelayConfig,
    registry: Registry,
    options: EventRelayOptions = {},
  ): DynamicModule {
    return {
      module: RelayRuntimeModule,
      providers: [
        { provide: EVENT_RELAY, useFactory: () => createEventRelay(config, { ...options, registry }) },
      ],
      exports: [EVENT_RELAY],
    };
  }

  onApplicationBootstrap(): void {
    this.eventRelay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.eventRelay.stop();
  }
}
