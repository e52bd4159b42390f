import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

// The APIs answer JSON only: nothing they send may load anything or be framed.
const apiHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
});

// Swagger UI loads its own scripts and styles from /docs; it sets inline styles and inlines its icons.
const docsHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
});

/** helmet's headers (nosniff, no X-Powered-By, DENY framing) with a CSP for the JSON API and one for /docs. */
export function securityHeaders(request: Request, response: Response, next: NextFunction): void {
  const headers = request.path === '/docs' || request.path.startsWith('/docs/') ? docsHeaders : apiHeaders;
  headers(request, response, next);
}
