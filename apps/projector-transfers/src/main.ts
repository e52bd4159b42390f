import './tracing';
import 'reflect-metadata';
import { applyCommandLine } from '@ledger/config';
import { createConsumerApp } from '@ledger/application';
import { ensureReadModelSchemaIfMissing, transfersReconciliation } from '@ledger/read-models';

// Transfer status and history, fed by ledger.transfer.events.
const { exitCode } = applyCommandLine('projector-transfers');
if (exitCode !== undefined) process.exit(exitCode);

createConsumerApp({
  service: 'projector-transfers',
  defaultOpsPort: 3013,
  readModel: 'transfers',
  prepare: ensureReadModelSchemaIfMissing,
  reconciliation: transfersReconciliation,
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
