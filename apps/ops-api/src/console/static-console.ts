import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OpsApiConfig } from '../config';

/** The console's build (vite, `npm run build`), found above this file in the sources or in dist/. */
export function consoleBuildDir(from = __dirname): string | undefined {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    for (const candidate of [join(dir, 'console'), join(dir, 'dist/apps/ops-api/console')]) {
      if (existsSync(join(candidate, 'index.html'))) return candidate;
    }
  }
  return undefined;
}

/**
 * Serves the console's static files under /console with a CSP of their own: scripts and styles from this
 * origin only, and requests to this app and the two APIs the console reads. The page carries no data: every
 * call sends the operator's token and is checked by the API that answers it.
 */
export function serveConsole(app: INestApplication, config: OpsApiConfig, dir = consoleBuildDir()): void {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", config.CONSOLE_QUERY_API_URL, config.CONSOLE_COMMAND_API_URL],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
  });
  const isPage = (request: Request) =>
    request.path === '/' || request.path === '/index.html' || request.path.startsWith('/assets/');
  app.use('/console', (request: Request, response: Response, next: NextFunction) =>
    isPage(request) ? headers(request, response, next) : next(),
  );
  if (dir)
    app.use('/console', express.static(dir, { index: 'index.html', redirect: false, fallthrough: true }));
}
