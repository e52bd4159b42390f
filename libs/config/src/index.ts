export * from './env';
export * from './command-line';
