import { Logger, LoggerService } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { problem, Problem, PROBLEM_CONTENT_TYPE } from './problem';

const CORRELATION_HEADER = 'x-correlation-id';
/** What a client may send as `X-Correlation-Id`: it lands in logs, event metadata and Kafka headers. */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

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
 * when it has one, a new UUID otherwise. It is written back into the request headers, so the request
 * logger (which runs later) and every problem answer use the same one. A malformed one is refused (400
 * INVALID_HEADER, answered under a fresh id): it would otherwise travel into logs, events and Kafka headers.
 */
export function assignCorrelationId(request: Request, response: Response, next: () => void): void {
  const given = request.headers[CORRELATION_HEADER];
  const valid = typeof given === 'string' && CORRELATION_ID_PATTERN.test(given);
  const id = valid ? given : randomUUID();
  request.headers[CORRELATION_HEADER] = id;
  response.setHeader(CORRELATION_HEADER, id);
  if (given === undefined || valid) return next();
  const message = 'X-Correlation-Id must be 1-128 characters of A-Z a-z 0-9 . _ : -';
  sendEdgeProblem(request, response, 400, {
    code: 'INVALID_HEADER',
    detail: message,
    errors: [{ field: 'X-Correlation-Id', message }],
  });
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
