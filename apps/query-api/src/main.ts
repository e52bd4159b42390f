import './tracing';
import 'reflect-metadata';
import { applyCommandLine } from '@ledger/config';
import { loadQueryApiConfig } from './config';
import { createQueryApp } from './query-app';

async function main(): Promise<void> {
  const { exitCode } = applyCommandLine('query-api');
  if (exitCode !== undefined) process.exit(exitCode);
  const config = loadQueryApiConfig();
  const app = await createQueryApp(config);
  await app.listen(config.QUERY_PORT, process.env.QUERY_HOST ?? '0.0.0.0');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
