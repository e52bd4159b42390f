import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

/**
 * Serves a long-running app that is not an HTTP API (a consumer, the relay): its module brings the
 * ObservabilityModule (pino logger, /health/live, /health/ready, /metrics) and whatever it runs; this
 * starts it with the app's logger, shutdown hooks on SIGTERM/SIGINT, and the ops server on `port`.
 */
export async function serveOpsApp(
  module: DynamicModule,
  port: number,
  host = '0.0.0.0',
): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(port, host);
  return app;
}
