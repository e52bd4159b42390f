import './tracing';
import 'reflect-metadata';
import { applyCommandLine } from '@ledger/config';
import { createConsumerApp } from '@ledger/application';
import { accountsReconciliation, ensureReadModelSchemaIfMissing } from '@ledger/read-models';

// Account summaries and statements, fed by ledger.account.events.
const { exitCode } = applyCommandLine('projector-accounts');
if (exitCode !== undefined) process.exit(exitCode);

createConsumerApp({
  service: 'projector-accounts',
  defaultOpsPort: 3012,
  readModel: 'accounts',
  prepare: ensureReadModelSchemaIfMissing,
  reconciliation: accountsReconciliation,
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
