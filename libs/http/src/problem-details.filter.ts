import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, LoggerService } from '@nestjs/common';
import { isDatabaseUnavailable } from '@ledger/postgres';
import type { Request, Response } from 'express';
import { Problem, problem, PROBLEM_CONTENT_TYPE, ProblemMapper } from './problem';
import { correlationIdOf } from './problem-response';

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** Seconds a client is asked to wait before retrying while the database is unavailable. */
export const DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS = 1;

/**
 * Turns every error into problem+json: the app's own mapping first (domain errors), then Nest's
 * HttpExceptions (validation, not found), then a database that cannot be reached (503
 * DATABASE_UNAVAILABLE with Retry-After: nothing was wrong with the request), then client errors that
 * expose themselves; anything else is a logged 500. Body-parser failures never reach it (see createHttpApp).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(
    private readonly mapApplicationError: ProblemMapper = () => undefined,
    private readonly logger: LoggerService = new Logger(),
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const mapped = this.mapApplicationError(error);
    const correlationId = correlationIdOf(request);
    const body = { ...(mapped ?? this.toProblem(error)), instance: request.originalUrl, correlationId };
    if (body.code === 'DATABASE_UNAVAILABLE') {
      // Nothing was wrong with the request: the client is asked to retry, the log says why without a stack.
      response.setHeader('Retry-After', String(DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS));
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(
        { reason, correlationId, url: request.originalUrl },
        'database unavailable',
        'ProblemDetails',
      );
    } else if (body.status >= 500 && !(mapped && body.status === 503)) {
      // A 503 the app expects (a stale read, a dependency away) is an answer, not a defect: the request log
      // line (at warn, see the observability module) is all it gets. Anything else from 500 up is logged with
      // its stack.
      this.logger.error(
        { err: error, correlationId, url: request.originalUrl },
        'request failed',
        'ProblemDetails',
      );
    }
    response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private toProblem(error: unknown): Problem {
    if (error instanceof HttpException) return fromHttpException(error);
    if (isDatabaseUnavailable(error)) {
      return problem(503, {
        code: 'DATABASE_UNAVAILABLE',
        detail: 'the database cannot be reached; retry later',
      });
    }
    const parserError = error as BodyParserError;
    if (parserError?.expose && parserError.status && parserError.status < 500) {
      return problem(parserError.status, { detail: (error as Error).message });
    }
    return problem(500, { detail: 'unexpected error' });
  }
}

function fromHttpException(error: HttpException): Problem {
  const status = error.getStatus();
  const response = error.getResponse();
  // A problem thrown as the exception's body (built with problem()) is answered as it is.
  if (typeof response === 'object' && response !== null && ('errors' in response || 'code' in response)) {
    return problem(status, response as Partial<Problem>);
  }
  const message =
    typeof response === 'object' && response !== null && 'message' in response
      ? (response as { message: unknown }).message
      : error.message;
  return problem(status, { detail: Array.isArray(message) ? message.join('; ') : String(message) });
}
