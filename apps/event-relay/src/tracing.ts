import { startTracing } from '@ledger/observability/tracing';

// Imported first by main.ts: the instrumentations patch http, express, Nest and pg only as they load.
export const tracing = startTracing('event-relay');
