import { commandMetrics } from '@ledger/observability';

export const COMMAND_METRICS = Symbol('COMMAND_METRICS');
export type CommandMetrics = ReturnType<typeof commandMetrics>;
