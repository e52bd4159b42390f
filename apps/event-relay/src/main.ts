import './tracing';
import 'reflect-metadata';
import { applyCommandLine } from '@ledger/config';
import { loadEventRelayConfig } from './config';
import { createRelayApp } from './relay-app';

async function main(): Promise<void> {
  const { exitCode } = applyCommandLine('event-relay');
  if (exitCode !== undefined) process.exit(exitCode);
  await createRelayApp(loadEventRelayConfig());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
