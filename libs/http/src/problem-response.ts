import { Logger, LoggerService } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { problem, Problem, PROBLEM_CONTENT_TYPE } from './problem';

const CORRELATION_HEADER = 'x-correlation-id';
const ACCEPTED_CORRELATION_ID = /^[\x21-\x7e]{1,128}$/;

const EDGE_LOGGER = 'ledger.edgeLogger';

/** The app's own logger for what the edge refuses (the request logger never sees those requests). */
export function useEdgeLogger(
  app: { set(key: string, value: unknown): unknown },
  logger: LoggerService,
): void {
  app.set(EDGE_LOGGER, logger);
}

function edgeLogger(request: Request): LoggerService {
  return (request.app?.get(EDGE_LOGGER) as LoggerService | undefined) ?? new Logger();
}

/**
 * Gives every request its correlation id before anything can refuse it: the client's `X-Correlation-Id`
 * when it is printable ASCII of at most 128 characters, a new UUID otherwise. It is written back into the
 * request headers, so the request logger (which runs later) and every problem answer use the same one.
 */
export function assignCorrelationId(request: Request, response: Response, next: () => void): void {
  const given = request.headers[CORRELATION_HEADER];
  const id = typeof given === 'string' && ACCEPTED_CORRELATION_ID.test(given) ? given : randomUUID();
  request.headers[CORRELATION_HEADER] = id;
  response.setHeader(CORRELATION_HEADER, id);
  next();
}

export function correlationIdOf(request: Request): string | undefined {
  const id = request.id ?? request.headers[CORRELATION_HEADER];
  return typeof id === 'string' ? id : undefined;
}

/**
 * Answers a request refused before it reached a controller (content type, body shape, body parser), and
 * logs it once: the request logger never sees these requests.
 */
export function sendEdgeProblem(
  request: Request,
  response: Response,
  status: number,
  fields: Partial<Problem>,
): void {
  const correlationId = correlationIdOf(request);
  const body = { ...problem(status, fields), instance: request.originalUrl, correlationId };
  edgeLogger(request).warn(
    { correlationId, method: request.method, url: request.originalUrl, status, code: fields.code },
    `request refused: ${fields.detail ?? status}`,
    'HttpEdge',
  );
  response.status(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}
