export * from './connections';
export * from './transaction';
export * from './unavailable';
export * from './migrations';
export * from './notifications';
