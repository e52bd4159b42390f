export * from './config';
export * from './sdk';
export * from './context';
export * from './log-mixin';
export * from './in-memory';
