export * from './database';
export * from './kafka-tool';
export * from './wait';
export * from './decider-spec';
export * from './auth';
