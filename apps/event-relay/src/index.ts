export { EventRelayModule } from './app.module';
export { createRelayApp } from './relay-app';
export { eventRelayEnvSchema, loadEventRelayConfig, type EventRelayConfig } from './config';
export { createEventRelay, startEventRelay, type EventRelay, type EventRelayOptions } from './event-relay';
