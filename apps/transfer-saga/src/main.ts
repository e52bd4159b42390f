import './tracing';
import 'reflect-metadata';
import { applyCommandLine } from '@ledger/config';
import { assertValidEvent } from '@ledger/messaging';
import { createConsumerApp, transferSagaReactor } from '@ledger/application';

// The transfer process manager: consumes account and transfer events, issues the next step's command.
const { exitCode } = applyCommandLine('transfer-saga');
if (exitCode !== undefined) process.exit(exitCode);

createConsumerApp({
  service: 'transfer-saga',
  defaultOpsPort: 3011,
  projection: ({ store }) =>
    transferSagaReactor(store, { validate: assertValidEvent, maxConflictRetries: 10 }),
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
