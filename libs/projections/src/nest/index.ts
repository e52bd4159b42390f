export * from './projector.module';
