export * from './avro';
