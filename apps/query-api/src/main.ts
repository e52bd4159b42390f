import './tracing';
import 'reflect-metadata';
import { loadQueryApiConfig } from './config';
import { createQueryApp } from './query-app';

async function main(): Promise<void> {
  const config = loadQueryApiConfig();
  const app = await createQueryApp(config);
  await app.listen(config.QUERY_PORT, process.env.QUERY_HOST ?? '0.0.0.0');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
