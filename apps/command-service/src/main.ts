import './tracing';
import 'reflect-metadata';
import { applyCommandLine } from '@ledger/config';
import { createHttpApp } from '@ledger/http';
import { CommandServiceModule } from './app.module';
import { loadCommandServiceConfig } from './config';
import { mapCommandError } from './shared/problem-mapping';

async function main(): Promise<void> {
  const { exitCode } = applyCommandLine('command-service');
  if (exitCode !== undefined) process.exit(exitCode);
  const config = loadCommandServiceConfig();
  const app = await createHttpApp(CommandServiceModule.forRoot(config), {
    title: 'Ledger command service',
    description:
      'Commands on accounts and transfers. Every answer carries the stream version (ETag) and the global position to pass as minPosition to the query API.',
    http: config,
    mapApplicationError: mapCommandError,
    docs: config.HTTP_DOCS,
  });
  await app.listen(config.COMMAND_PORT, process.env.COMMAND_HOST ?? '0.0.0.0');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
