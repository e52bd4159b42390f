export * from './avro-schema';
export * from './generated';
export * from './routing';
export * from './subjects';
export * from './namespace';
export * from './headers';
