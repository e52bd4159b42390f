import { serveOpsApp } from '@ledger/application';
import type { INestApplication } from '@nestjs/common';
import { EventRelayModule } from './app.module';
import type { EventRelayConfig } from './config';
import type { EventRelayOptions } from './event-relay';

export interface RelayAppOptions extends Omit<EventRelayOptions, 'registry'> {
  /** Address of the ops server; OPS_HOST, else every interface. */
  host?: string;
}

/**
 * The relay as a long-running app, composed like the consumer apps (`createConsumerApp`): validated
 * configuration, the relay's module (its runtime and the ops endpoints), served by `serveOpsApp`. SIGTERM
 * finishes the batch in flight and releases the leader lock before the ops server closes.
 */
export function createRelayApp(
  config: EventRelayConfig,
  { host = process.env.OPS_HOST, ...options }: RelayAppOptions = {},
): Promise<INestApplication> {
  return serveOpsApp(EventRelayModule.forRoot(config, options), config.OPS_PORT, host);
}
