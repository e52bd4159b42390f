export * from './models';
export * from './active';
export * from './shadow';
export * from './rebuilds';
export { readModelVersionMigrations } from './schema';
export * from './reset';
