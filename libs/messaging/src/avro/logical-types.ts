import * as avro from 'avsc';

/**
 * `long` + `timestamp-millis` on the wire, an ISO-8601 UTC string in the domain. Only the exact form
 * Date#toISOString produces (`2024-05-01T12:00:00.000Z`) is accepted, so a value comes back from a
 * round trip through Kafka unchanged, equal to the copy in the event store.
 */
export class IsoTimestampMillis extends avro.types.LogicalType {
  protected override _fromValue(millis: number): string {
    return new Date(millis).toISOString();
  }

  protected override _toValue(value: unknown): number | undefined {
    if (typeof value !== 'string') return undefined;
    const millis = Date.parse(value);
    return Number.isFinite(millis) && new Date(millis).toISOString() === value ? millis : undefined;
  }

  // A writer schema parsed without this logical type yields raw longs; one parsed with it, strings already.
  protected override _resolve(writer: avro.Type): ((value: never) => string) | undefined {
    if (avro.Type.isType(writer, 'logical:timestamp-millis')) return (value: string) => value;
    if (avro.Type.isType(writer, 'long')) return (millis: number) => this._fromValue(millis);
    return undefined;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `string` + `uuid`: the value passes through unchanged, but only a UUID is valid, as consumers that map
 * the logical type to a UUID class (Java, .NET) would fail on anything else.
 */
export class UuidString extends avro.types.LogicalType {
  protected override _fromValue(value: string): string {
    return value;
  }

  protected override _toValue(value: unknown): string | undefined {
    return typeof value === 'string' && UUID.test(value) ? value : undefined;
  }

  protected override _resolve(writer: avro.Type): ((value: string) => string) | undefined {
    return avro.Type.isType(writer, 'string', 'logical:uuid') ? (value: string) => value : undefined;
  }
}

/**
 * avsc options for event types: timestamps become ISO strings, UUIDs are checked. A fresh object per
 * call, because `Type.forSchema` keeps its registry of named types in the options it is given.
 */
export function avroTypeOptions(): Partial<avro.ForSchemaOptions> {
  return { logicalTypes: { 'timestamp-millis': IsoTimestampMillis, uuid: UuidString } };
}
