import type { INestApplication } from '@nestjs/common';
import { createHttpApp } from '@ledger/http';
import { OpsApiModule } from './app.module';
import type { OpsApiConfig } from './config';
import { serveConsole } from './console/static-console';
import { mapOpsError } from './shared/ops-error';

const DESCRIPTION = `Operations on the projections for administrators: dead letters (list, show decoded, redrive,
discard), the same library operations as \`ops-cli dlq\`. Serves the operators' console at /console.
Errors are application/problem+json.`;

/** The ops API with the shared HTTP conventions and the console, ready to listen (or to serve in tests). */
export async function createOpsApp(config: OpsApiConfig, consoleDir?: string): Promise<INestApplication> {
  const app = await createHttpApp(OpsApiModule.forRoot(config), {
    title: 'Ledger ops API',
    description: DESCRIPTION,
    http: config,
    mapApplicationError: mapOpsError,
    docs: config.HTTP_DOCS,
  });
  serveConsole(app, config, consoleDir);
  return app;
}
