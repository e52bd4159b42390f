export * from './avro';
export * from './kafka';
export * from './relay';
