import 'reflect-metadata';
import { loadOpsApiConfig } from './config';
import { createOpsApp } from './ops-app';

async function main(): Promise<void> {
  const config = loadOpsApiConfig();
  const app = await createOpsApp(config);
  await app.listen(config.OPS_API_PORT, process.env.OPS_API_HOST ?? '0.0.0.0');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
