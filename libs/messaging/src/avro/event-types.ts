import * as avro from 'avsc';
import { currentVersions, isEventType, schemas, type EventType } from '@ledger/contracts';
import { UnknownEventSchemaError } from './errors';
import { avroTypeOptions } from './logical-types';

const types = new Map<string, avro.Type>();

/** The avsc type of one event schema version, parsed once. Throws UnknownEventSchemaError. */
export function eventTypeOf(type: string, version: number): avro.Type {
  const key = `${type}@${version}`;
  const cached = types.get(key);
  if (cached) return cached;
  if (!isEventType(type)) throw new UnknownEventSchemaError(type);
  const schema = schemas[type][version];
  if (!schema) throw new UnknownEventSchemaError(type, version);
  const parsed = avro.Type.forSchema(schema as unknown as avro.Schema, avroTypeOptions());
  types.set(key, parsed);
  return parsed;
}

/** The version consumers read every event of `type` into. */
export function currentVersionOf(type: EventType): number {
  return currentVersions[type];
}

/**
 * Which catalogue version a writer schema is, compared by Parsing Canonical Form (docs and logical-type
 * annotations do not count); undefined for a version this build does not know, e.g. a newer producer's.
 */
export function versionOfWriter(type: EventType, writer: avro.Type): number | undefined {
  const fingerprint = writer.fingerprint().toString('hex');
  return Object.keys(schemas[type])
    .map(Number)
    .find((version) => eventTypeOf(type, version).fingerprint().toString('hex') === fingerprint);
}
