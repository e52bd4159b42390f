export * from './problem';
export * from './problem-details.filter';
export * from './validation';
export * from './bootstrap';
export * from './http-env';
export * from './body-rules';
export * from './input-rules';
export { throttleTracker } from './throttling';
export { correlationIdOf } from './problem-response';
