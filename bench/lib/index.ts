export * from './machine';
export * from './markdown';
export * from './runner';
export * from './stats';
export * from './env';
export * from './report';
