/** A violation of an event schema found before encoding, named by the field path. */
export interface SchemaViolation {
  /** Dotted path of the offending field; empty for the event data itself. */
  path: string;
  message: string;
}

/** The catalogue has no schema for this event type (and version). */
export class UnknownEventSchemaError extends Error {
  constructor(
    readonly eventType: string,
    readonly version?: number,
  ) {
    super(`no Avro schema for ${eventType}${version === undefined ? '' : ` v${version}`} in avro-schemas/`);
    this.name = 'UnknownEventSchemaError';
  }
}

/** The event data does not match the schema of its type and version, so it must not be stored or sent. */
export class EventSchemaViolationError extends Error {
  constructor(
    readonly eventType: string,
    readonly version: number,
    readonly violations: SchemaViolation[],
  ) {
    const details = violations.map(({ path, message }) => `${path || '(data)'}: ${message}`).join('; ');
    super(`${eventType} v${version} does not match its schema: ${details}`);
    this.name = 'EventSchemaViolationError';
  }
}

/** The schema version is not registered under its subject; `npm run schemas:register` provisions it. */
export class SchemaNotRegisteredError extends Error {
  constructor(
    readonly eventType: string,
    readonly version: number,
    readonly subject: string,
  ) {
    super(
      `${eventType} v${version} is not registered under subject ${subject}; run npm run schemas:register`,
    );
    this.name = 'SchemaNotRegisteredError';
  }
}

/** A record value that is not a decodable event: wrong framing, unknown schema id, or unresolvable schema. */
export class UndecodableEventError extends Error {
  constructor(
    readonly reason: string,
    readonly schemaId?: number,
  ) {
    super(`cannot decode event${schemaId === undefined ? '' : ` (schema id ${schemaId})`}: ${reason}`);
    this.name = 'UndecodableEventError';
  }
}
