import type { INestApplication } from '@nestjs/common';
import { createHttpApp } from '@ledger/http';
import { QueryApiModule, QueryApiOptions } from './app.module';
import type { QueryApiConfig } from './config';
import { CONSISTENCY_DESCRIPTION } from './consistency/consistency-query';
import { documentMaxWait } from './shared/openapi';
import { mapQueryError } from './shared/problem-mapping';

const DESCRIPTION = `Read models of accounts, statements and transfers, and the projections' progress.
Lists use cursor pagination (\`limit\` 1-100, default 50; pass \`nextCursor\` back as \`cursor\`). Errors are
application/problem+json.

${CONSISTENCY_DESCRIPTION}`;

/** The query API with its HTTP conventions, ready to listen (or to serve in-process in tests). */
export function createQueryApp(
  config: QueryApiConfig,
  options: QueryApiOptions = {},
): Promise<INestApplication> {
  return createHttpApp(QueryApiModule.forRoot(config, options), {
    title: 'Ledger query API',
    description: DESCRIPTION,
    http: config,
    mapApplicationError: mapQueryError,
    amendDocument: (document) => documentMaxWait(document as never, config.QUERY_MAX_WAIT_MS),
    docs: config.HTTP_DOCS,
  });
}
