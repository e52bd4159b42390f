// Builders for projection tests and benchmarks; not part of the library's public API.
export * from './facts';
export * from './event-log';
export * from './workload';
export * from './records';
export * from './database';
export * from './rows';
export * from './kafka';
