import 'reflect-metadata';
import { assertValidEvent } from '@ledger/messaging';
import { createConsumerApp, transferSagaReactor } from '@ledger/application';

// The transfer process manager: consumes account and transfer events, issues the next step's command.
createConsumerApp({
  service: 'transfer-saga',
  defaultOpsPort: 3011,
  projection: ({ store }) => transferSagaReactor(store, { validate: assertValidEvent, maxConflictRetries: 10 }),
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
