export * from './wire';
export * from './generated';
export * from './routing';
export * from './namespace';
export * from './headers';
