export * from './logger';
export * from './metrics';
export * from './health';
export * from './tracing/context';
export * from './tracing/log-mixin';
export * from './nest/observability.module';
export { METRICS_REGISTRY, HEALTH_CHECKS } from './nest/observability.controller';
