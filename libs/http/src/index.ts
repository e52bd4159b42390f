export * from './problem';
export * from './problem-details.filter';
export * from './validation';
export * from './bootstrap';
