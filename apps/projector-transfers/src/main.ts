import './tracing';
import 'reflect-metadata';
import { createConsumerApp } from '@ledger/application';
import { ensureReadModelSchemaIfMissing, transfersProjection } from '@ledger/read-models';

// Transfer status and history, fed by ledger.transfer.events.
createConsumerApp({
  service: 'projector-transfers',
  defaultOpsPort: 3013,
  projection: () => transfersProjection(),
  prepare: ensureReadModelSchemaIfMissing,
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
