export * from './database';
export * from './database-roles';
export * from './kafka-tool';
export * from './wait';
export * from './decider-spec';
export * from './tcp-proxy';
export * from './auth';
export * from './ports';
