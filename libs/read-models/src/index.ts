export * from './schema';
export * from './events';
export { ReadModelError, type ReadModelErrorCode } from './errors';
export type { ReadModelProjectionOptions } from './projection-options';
export * from './accounts';
export * from './transfers';
export * from './reconciliation';
