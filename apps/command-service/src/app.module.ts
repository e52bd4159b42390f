import { DynamicModule, Module } from '@nestjs/common';
import { ledgerUpcasters } from '@ledger/application';
import { AuthModule, AuthModuleOptions } from '@ledger/auth';
import { EVENT_STORE, EventStore, EventStoreModule } from '@ledger/event-store';
import { assertValidEvent } from '@ledger/messaging';
import { commandMetrics, createMetricsRegistry, ObservabilityModule } from '@ledger/observability';
import { AccountStateController } from './accounts/account-state/account-state.controller';
import { AccountStatusController } from './accounts/account-status/account-status.controller';
import { MoveMoneyController } from './accounts/move-money/move-money.controller';
import { OpenAccountController } from './accounts/open-account/open-account.controller';
import { COMMAND_SERVICE_CONFIG, CommandServiceConfig } from './config';
import { COMMAND_METRICS } from './shared/command-metrics';
import { CommandExecutor, EVENT_VALIDATOR } from './shared/command-executor';
import { RequestTransferController } from './transfers/request-transfer/request-transfer.controller';

@Module({})
export class CommandServiceModule {
  static forRoot(config: CommandServiceConfig, auth: AuthModuleOptions = {}): DynamicModule {
    const registry = createMetricsRegistry('command-service');
    const eventStore = EventStoreModule.forRoot({
      url: config.DATABASE_URL,
      poolSize: config.DATABASE_POOL_SIZE,
      upcasters: ledgerUpcasters(),
      appendNotifyIntervalMs: config.APPEND_NOTIFY_INTERVAL_MS,
    });
    return {
      module: CommandServiceModule,
      imports: [
        AuthModule.forRoot(config, auth),
        eventStore,
        ObservabilityModule.forRoot({
          service: 'command-service',
          level: config.LOG_LEVEL,
          registry,
          imports: [eventStore],
          checks: {
            inject: [EVENT_STORE],
            useFactory: (store: EventStore) => [
              { name: 'postgres', check: async () => void (await store.readAll({ limit: 1 })) },
            ],
          },
        }),
      ],
      controllers: [
        OpenAccountController,
        MoveMoneyController,
        AccountStatusController,
        AccountStateController,
        RequestTransferController,
      ],
      providers: [
        { provide: COMMAND_SERVICE_CONFIG, useValue: config },
        { provide: EVENT_VALIDATOR, useValue: config.VALIDATE_EVENT_SCHEMAS ? assertValidEvent : undefined },
        { provide: COMMAND_METRICS, useValue: commandMetrics(registry) },
        CommandExecutor,
      ],
    };
  }
}
