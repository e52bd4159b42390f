import type { LoggerService } from '@nestjs/common';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { problem, PROBLEM_CONTENT_TYPE } from './problem';

// Node's own parser errors, answered before any request object exists.
const STATUS_BY_CODE: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'the request did not arrive in time'],
  ERR_HTTP_HEADERS_TIMEOUT: [408, 'the request headers did not arrive in time'],
};

/**
 * Answers what Node's HTTP parser refuses (a malformed request line, headers too large, a request that
 * stops arriving) with a problem+json body instead of Node's empty one, logs it once, and closes the
 * connection: after a parse error nothing more on it can be trusted.
 */
export function answerClientErrors(server: Server, logger: LoggerService): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, detail] = STATUS_BY_CODE[error.code ?? ''] ?? [400, 'the request is not valid HTTP'];
    const correlationId = randomUUID();
    const body = JSON.stringify({ ...problem(status, { detail }), correlationId });
    logger.warn(
      { correlationId, status, parseError: { code: error.code, message: error.message } },
      `connection refused: ${detail}`,
      'HttpEdge',
    );
    socket.end(
      `HTTP/1.1 ${status} ${problem(status).title}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Correlation-Id: ${correlationId}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
