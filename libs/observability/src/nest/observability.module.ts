import {
  DynamicModule,
  Injectable,
  Module,
  ModuleMetadata,
  OnApplicationShutdown,
  Provider,
} from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import type { Registry } from 'prom-client';
import { randomUUID } from 'node:crypto';
import { CORRELATION_ID_PATTERN } from '@ledger/http';
import { HealthCheck } from '../health';
import { loggerOptions } from '../logger';
import { flushSpans } from '../tracing/context';
import { HEALTH_CHECKS, METRICS_REGISTRY, ObservabilityController } from './observability.controller';

export interface ObservabilityOptions {
  service: string;
  registry: Registry;
  /** Log level from the app's validated configuration; LOG_LEVEL from the environment when absent. */
  level?: string;
  /** Modules whose providers the checks factory injects (pass the same module object the app imports). */
  imports?: ModuleMetadata['imports'];
  /** Factory for readiness checks; its dependencies are injected like any provider's. */
  checks: {
    inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown)>;
    useFactory: (...deps: never[]) => HealthCheck[];
  };
}

/** Exports buffered spans when the app stops (SIGTERM with shutdown hooks, or app.close()). */
@Injectable()
class SpanFlush implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return flushSpans();
  }
}

/** JSON request logs carrying the correlation id, /health/live, /health/ready and /metrics. */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: METRICS_REGISTRY, useValue: options.registry },
      { provide: HEALTH_CHECKS, inject: options.checks.inject ?? [], useFactory: options.checks.useFactory },
      SpanFlush,
    ];
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        ...(options.imports ?? []),
        LoggerModule.forRoot({
          pinoHttp: {
            ...loggerOptions(options.level, options.service),
            genReqId: (request, response) => {
              const given = request.headers['x-correlation-id'];
              const id =
                typeof given === 'string' && CORRELATION_ID_PATTERN.test(given) ? given : randomUUID();
              response.setHeader('x-correlation-id', id);
              return id;
            },
            customProps: (request) => ({ correlationId: request.id }),
            // Refusals are warnings, expected 503s included; only other failures are errors. pino-http adds a
            // made-up error to every 5xx line: its stack says nothing, so only its message is kept.
            customLogLevel: (_request, response, error) =>
              error || (response.statusCode >= 500 && response.statusCode !== 503)
                ? 'error'
                : response.statusCode >= 400
                  ? 'warn'
                  : 'info',
            serializers: {
              err: (error: Error) =>
                error.message.startsWith('failed with status code')
                  ? { message: error.message }
                  : pino.stdSerializers.err(error),
            },
            autoLogging: {
              ignore: (request) => ['/health/live', '/health/ready', '/metrics'].includes(request.url ?? ''),
            },
          },
        }),
      ],
      controllers: [ObservabilityController],
      providers,
      exports: [METRICS_REGISTRY],
    };
  }
}
