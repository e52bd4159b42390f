import { ExpressAdapter } from '@nestjs/platform-express';
import { createServer } from 'node:http';

export interface ServerTimeouts {
  requestTimeoutMs: number;
  headersTimeoutMs: number;
}

/**
 * The Express adapter with a server that enforces its timeouts promptly. Node checks request and header
 * timeouts only every `connectionsCheckingInterval` (30 s by default, and only settable when the server is
 * created), so with the defaults a body that stops arriving holds its connection for minutes.
 */
export class HardenedExpressAdapter extends ExpressAdapter {
  constructor(private readonly timeouts: ServerTimeouts) {
    super();
  }

  override initHttpServer(options: { httpsOptions?: unknown }): void {
    if (options?.httpsOptions) return super.initHttpServer(options as never);
    const requestTimeout = this.timeouts.requestTimeoutMs;
    this.setHttpServer(
      createServer(
        {
          requestTimeout,
          headersTimeout: Math.min(this.timeouts.headersTimeoutMs, requestTimeout),
          connectionsCheckingInterval: 500,
        },
        this.getInstance(),
      ),
    );
  }
}
