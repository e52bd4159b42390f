export * from './command-handler';
export * from './execute-command';
export * from './deterministic-id';
export * from './upcasters';
export * from './keyed-mutex';
export * from './transfer-saga';
export * from './saga-reactor';
export * from './nest/consumer-app';
