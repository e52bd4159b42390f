/** The JSON form of an Avro schema as it appears in avro-schemas/ (enough structure for tooling and codecs). */
export type AvroSchemaJson =
  | string
  | readonly AvroSchemaJson[]
  | { readonly type: AvroSchemaJson; readonly [attribute: string]: unknown };

/** One field of an event record. Every field carries a `doc`; a `default` makes it safe to add later. */
export interface AvroFieldJson {
  readonly name: string;
  readonly type: AvroSchemaJson;
  readonly doc: string;
  readonly default?: unknown;
}

/** An event schema: a documented record whose `namespace.name` is the event's wire type. */
export interface AvroRecordSchemaJson {
  readonly type: 'record';
  readonly name: string;
  readonly namespace: string;
  readonly doc: string;
  readonly fields: readonly AvroFieldJson[];
}
