export * from './measure';
export * from './projections';
export * from './run-rebuild';
