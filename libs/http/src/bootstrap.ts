import { DynamicModule, INestApplication, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { json, NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import { Logger } from 'nestjs-pino';
import { refuseDeclaredOversize, refuseHostileBodies, requireJsonBodies } from './body-rules';
import { answerClientErrors } from './client-errors';
import { HardenedExpressAdapter } from './hardened-adapter';
import { HttpEnv, httpEnvSchema } from './http-env';
import { ProblemMapper } from './problem';
import { ProblemDetailsFilter } from './problem-details.filter';
import { assignCorrelationId, sendEdgeProblem, useEdgeLogger } from './problem-response';
import { securityHeaders } from './security-headers';
import { HttpThrottlingModule } from './throttling';
import { strictValidationPipe } from './validation';

export interface HttpAppOptions {
  title: string;
  description: string;
  version?: string;
  /** The edge's limits (body size, timeouts, rate limit, CORS); httpEnvSchema's defaults when absent. */
  http?: Partial<HttpEnv>;
  mapApplicationError?: ProblemMapper;
  /** Adjusts the generated OpenAPI document (for what only the configuration knows). */
  amendDocument?: (document: OpenAPIObject) => void;
  /** Serve OpenAPI at /docs and /docs-json (default true); public when served. */
  docs?: boolean;
}

/**
 * Creates a Nest HTTP app with the conventions every API here shares: pino logs, problem+json errors
 * (also for what is refused before routing, and for Node's own parser errors), security headers, rate
 * limiting, request timeouts, JSON-only bodies checked for hostile shapes, strict validation, OpenAPI at
 * /docs (JSON at /docs-json) and graceful shutdown.
 */
export async function createHttpApp(
  module: Type<unknown> | DynamicModule,
  options: HttpAppOptions,
): Promise<INestApplication> {
  const http: HttpEnv = { ...httpEnvSchema.parse({}), ...options.http };
  const adapter = new HardenedExpressAdapter({
    requestTimeoutMs: http.HTTP_REQUEST_TIMEOUT_MS,
    headersTimeoutMs: http.HTTP_HEADERS_TIMEOUT_MS,
  });
  const app = await NestFactory.create<NestExpressApplication>(withEdge(module, http), adapter, {
    bufferLogs: true,
    bodyParser: false,
    cors: http.HTTP_CORS_ORIGINS.length > 0 ? { origin: http.HTTP_CORS_ORIGINS } : false,
  });
  // Nest's static Logger does not reach pino here; the edge and the filter are handed the app's logger.
  const logger = app.get(Logger);
  app.useLogger(logger);
  useEdgeLogger(app, logger);
  answerClientErrors(app.getHttpServer() as Server, logger);
  app.disable('x-powered-by');
  app.use(assignCorrelationId);
  app.use(securityHeaders);
  app.use(requireJsonBodies);
  app.use(refuseDeclaredOversize(http.HTTP_BODY_LIMIT));
  app.use(json({ limit: http.HTTP_BODY_LIMIT, type: ['application/json', 'application/*+json'] }));
  app.use(refuseHostileBodies);
  app.use(bodyParserProblems);
  app.useGlobalFilters(new ProblemDetailsFilter(options.mapApplicationError, logger));
  app.useGlobalPipes(strictValidationPipe());
  app.enableShutdownHooks();
  if (options.docs === false) return app;
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title)
      .setDescription(options.description)
      .setVersion(options.version ?? '1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  options.amendDocument?.(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

@Module({})
class HttpEdgeModule {}

// The app's own module, with the edge's rate limiting around it.
function withEdge(module: Type<unknown> | DynamicModule, http: HttpEnv): DynamicModule {
  return {
    module: HttpEdgeModule,
    imports: [
      module,
      HttpThrottlingModule.forRoot({ limit: http.HTTP_RATE_LIMIT, windowMs: http.HTTP_RATE_LIMIT_WINDOW_MS }),
    ],
  };
}

const BODY_PARSER_PROBLEMS: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'MALFORMED_JSON', 'request body is not valid JSON'],
  'entity.too.large': [413, 'BODY_TOO_LARGE', 'request body is too large'],
  'entity.verify.failed': [400, 'MALFORMED_JSON', 'request body is not valid JSON'],
  'request.size.invalid': [
    400,
    'MALFORMED_BODY',
    'request body is shorter or longer than its Content-Length',
  ],
  'request.aborted': [400, 'MALFORMED_BODY', 'request body was not sent completely'],
  'encoding.unsupported': [415, 'UNSUPPORTED_MEDIA_TYPE', 'request body encoding is not supported'],
  'charset.unsupported': [415, 'UNSUPPORTED_MEDIA_TYPE', 'request body charset is not supported'],
};

// Body parsing runs before Nest's router, so its failures are answered here, as problems.
function bodyParserProblems(
  error: { type?: string },
  request: Request,
  response: Response,
  next: NextFunction,
) {
  const known = error?.type ? BODY_PARSER_PROBLEMS[error.type] : undefined;
  if (!known) return next(error);
  const [status, code, detail] = known;
  sendEdgeProblem(request, response, status, { code, detail });
}
