export * from './config';
export * from './principal';
export * from './public';
export * from './verifier';
export * from './tokens';
export * from './nest';
