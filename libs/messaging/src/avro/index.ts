export { AvroEventCodec, type DecodedEvent, type SchemaRegistryPort } from './avro-event-codec';
export {
  EventSchemaViolationError,
  SchemaNotRegisteredError,
  UndecodableEventError,
  UnknownEventSchemaError,
  type SchemaViolation,
} from './errors';
export { assertValidEvent, validateEvent, type ValidationResult } from './validate';
export { IsoTimestampMillis, UuidString } from './logical-types';
export {
  createSchemaRegistry,
  registryAuthHeaders,
  registryClientArgs,
  registryConnectionFrom,
  toRegistryConnection,
  type RegistryAuth,
  type RegistryConnection,
  type RegistrySettings,
} from './registry-client';
