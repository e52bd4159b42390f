import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { problem, PROBLEM_CONTENT_TYPE, ProblemMapper } from './problem';
import { ProblemDetailsFilter } from './problem-details.filter';
import { strictValidationPipe } from './validation';

export interface HttpAppOptions {
  title: string;
  description: string;
  version?: string;
  /** Largest JSON body accepted; larger ones get a 413 problem. */
  bodyLimit?: string;
  mapApplicationError?: ProblemMapper;
  /** Serve OpenAPI at /docs and /docs-json (default true); public when served. */
  docs?: boolean;
}

/**
 * Creates a Nest HTTP app with the conventions every API here shares: pino logs, problem+json errors,
 * strict validation, a body size limit, OpenAPI at /docs (JSON at /docs-json) and graceful shutdown.
 */
export async function createHttpApp(
  module: Type<unknown> | DynamicModule,
  options: HttpAppOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.use(json({ limit: options.bodyLimit ?? '16kb', type: ['application/json', 'application/*+json'] }));
  app.use(bodyParserProblems);
  app.useGlobalFilters(new ProblemDetailsFilter(options.mapApplicationError));
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
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

const BODY_PARSER_PROBLEMS: Record<string, [number, string]> = {
  'entity.parse.failed': [400, 'request body is not valid JSON'],
  'entity.too.large': [413, 'request body is too large'],
  'encoding.unsupported': [415, 'request body encoding is not supported'],
  'charset.unsupported': [415, 'request body charset is not supported'],
};

// Body parsing runs before Nest's router, so its failures are answered here, as problems.
function bodyParserProblems(error: { type?: string }, request: Request, response: Response, next: NextFunction) {
  const known = error?.type ? BODY_PARSER_PROBLEMS[error.type] : undefined;
  if (!known) return next(error);
  const [status, detail] = known;
  response
    .status(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify({ ...problem(status, { detail }), instance: request.originalUrl }));
}
