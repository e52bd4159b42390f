import { Module, type DynamicModule } from '@nestjs/common';
import { createMetricsRegistry, ObservabilityModule } from '@ledger/observability';
import type { EventRelayConfig } from './config';
import type { EventRelay, EventRelayOptions } from './event-relay';
import { EVENT_RELAY, RelayRuntimeModule } from './relay-runtime.module';

/** The relay plus its ops endpoints: /health/live, /health/ready (Postgres, Kafka, registry), /metrics. */
@Module({})
export class EventRelayModule {
  /** `options` exist for tests (own topics, instance id); the app runs with the defaults. */
  static forRoot(config: EventRelayConfig, options: Omit<EventRelayOptions, 'registry'> = {}): DynamicModule {
    const registry = createMetricsRegistry('event-relay');
    const runtime = RelayRuntimeModule.forRoot(config, registry, options);
    return {
      module: EventRelayModule,
      imports: [
        runtime,
        ObservabilityModule.forRoot({
          service: 'event-relay',
          level: config.LOG_LEVEL,
          registry,
          imports: [runtime],
          checks: { inject: [EVENT_RELAY], useFactory: (eventRelay: EventRelay) => eventRelay.healthChecks },
        }),
      ],
    };
  }
}
