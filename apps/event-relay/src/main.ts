import './tracing';
import 'reflect-metadata';
import { applyCommandLine } from '@ledger/config';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { EventRelayModule } from './app.module';
import { loadEventRelayConfig } from './config';

async function main(): Promise<void> {
  const { exitCode } = applyCommandLine('event-relay');
  if (exitCode !== undefined) process.exit(exitCode);
  const config = loadEventRelayConfig();
  const app = await NestFactory.create(EventRelayModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // SIGTERM: finish the batch in flight, release the leader lock, then exit.
  app.enableShutdownHooks();
  await app.listen(config.OPS_PORT, process.env.OPS_HOST ?? '0.0.0.0');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
