import './tracing';
import 'reflect-metadata';
import { createConsumerApp } from '@ledger/application';
import { accountsProjection, ensureReadModelSchemaIfMissing } from '@ledger/read-models';

// Account summaries and statements, fed by ledger.account.events.
createConsumerApp({
  service: 'projector-accounts',
  defaultOpsPort: 3012,
  projection: () => accountsProjection(),
  prepare: ensureReadModelSchemaIfMissing,
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
