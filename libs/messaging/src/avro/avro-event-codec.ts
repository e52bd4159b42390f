import * as avro from 'avsc';
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { isEventType, schemas, subjectOf, type CurrentEvent, type EventType } from '@ledger/contracts';
import { SchemaNotRegisteredError, UndecodableEventError, UnknownEventSchemaError } from './errors';
import { currentVersionOf, eventTypeOf, versionOfWriter } from './event-types';
import { createSchemaRegistry, type RegistryConnection } from './registry-client';
import { assertValidEvent } from './validate';
import { frame, unframe } from './wire-format';

/** The registry calls the codec needs; satisfied by `SchemaRegistry` from @kafkajs/confluent-schema-registry. */
export interface SchemaRegistryPort {
  getRegistryIdBySchema(subject: string, schema: { type: SchemaType.AVRO; schema: string }): Promise<number>;
  getSchema(registryId: number): Promise<unknown>;
}

/**
 * Told the outcome of every registry call the codec makes for its work (cache misses only): `failed` when
 * an encode or decode could not get the schema it needed, `succeeded` when the registry answered.
 */
export interface RegistryCallObserver {
  succeeded(): void;
  failed(error: unknown): void;
}

const unobserved: RegistryCallObserver = { succeeded: () => undefined, failed: () => undefined };

/** An event read from Kafka, always in the current version of its type. */
export type DecodedEvent = CurrentEvent & {
  /** The version the producer wrote, or undefined when it is newer than this build's catalogue. */
  readonly writerVersion: number | undefined;
  readonly schemaId: number;
};

interface Reader {
  type: EventType;
  writerVersion: number | undefined;
  read(body: Buffer): unknown;
}

/**
 * Encodes domain events to Avro in the Confluent wire format and decodes them back, into the current
 * version of each event type. Never registers schemas: ids are looked up by content under the
 * TopicRecordNameStrategy subject and cached, and a schema that is missing fails with
 * SchemaNotRegisteredError; registration is a provisioning step (`npm run schemas:register`).
 * Timestamps are ISO strings in the data and `timestamp-millis` longs on the wire.
 */
export class AvroEventCodec {
  private readonly ids = new Map<string, Promise<number>>();
  private readonly readers = new Map<number, Promise<Reader>>();

  constructor(
    private readonly registry: SchemaRegistryPort,
    private readonly observer: RegistryCallObserver = unobserved,
  ) {}

  /** A codec talking to the registry (the Confluent-compatible API root), with basic auth when configured. */
  static forRegistry(registry: string | RegistryConnection, observer?: RegistryCallObserver): AvroEventCodec {
    return new AvroEventCodec(createSchemaRegistry(registry), observer);
  }

  /**
   * Validates `data` against `type` v`version` (EventSchemaViolationError) and encodes it with the id the
   * registry holds for that exact schema (SchemaNotRegisteredError when it holds none). `validate: false`
   * skips the full validation for data validated before (the relay: every event was validated when it was
   * appended); Avro's own write still refuses a value of the wrong type or a missing field, it only drops
   * undeclared fields instead of refusing them.
   */
  async encode(
    type: string,
    version: number,
    data: unknown,
    options: { readonly validate?: boolean } = {},
  ): Promise<Buffer> {
    const avroType = eventTypeOf(type, version);
    if (options.validate !== false) assertValidEvent(type, version, data);
    const schemaId = await this.schemaId(type as EventType, version);
    return frame(schemaId, avroType.toBuffer(data));
  }

  /**
   * Decodes a record value: fetches the writer schema by id (once per id) and resolves the data into the
   * current version of its type, filling fields added since with their defaults.
   */
  async decode(value: Buffer): Promise<DecodedEvent> {
    const { schemaId, body } = unframe(value);
    const reader = await this.cached(this.readers, schemaId, () => this.readerFor(schemaId));
    let data: unknown;
    try {
      data = reader.read(body);
    } catch (error) {
      throw new UndecodableEventError((error as Error).message, schemaId);
    }
    const version = currentVersionOf(reader.type);
    return {
      type: reader.type,
      version,
      data,
      writerVersion: reader.writerVersion,
      schemaId,
    } as DecodedEvent;
  }

  private schemaId(type: EventType, version: number): Promise<number> {
    return this.cached(this.ids, `${type}@${version}`, async () => {
      const subject = subjectOf(type);
      const schema = JSON.stringify(schemas[type][version]);
      try {
        const id = await this.registry.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema });
        this.observer.succeeded();
        return id;
      } catch (error) {
        // The client turns the registry's 404 (unknown subject or schema) into a bare error without a status.
        const failure =
          error instanceof Error && !('status' in error)
            ? new SchemaNotRegisteredError(type, version, subject)
            : error;
        // Either way nothing can be encoded with this schema: the work that needs it is stuck.
        this.observer.failed(failure);
        throw failure;
      }
    });
  }

  private async readerFor(schemaId: number): Promise<Reader> {
    const writer = await this.registry.getSchema(schemaId).then(
      (schema) => {
        this.observer.succeeded();
        return schema;
      },
      (error: unknown) => {
        // Only a 404 makes the record undecodable (it is parked: the work goes on); any other failure is
        // transient, must not park it, and stalls the work until the registry answers.
        if ((error as { status?: number }).status === 404) {
          this.observer.succeeded();
          throw new UndecodableEventError('the registry has no schema with this id', schemaId);
        }
        this.observer.failed(error);
        throw error;
      },
    );
    if (!avro.Type.isType(writer, 'record')) {
      throw new UndecodableEventError('not an Avro record schema', schemaId);
    }
    // The client parses it without our logical types; IsoTimestampMillis resolves raw longs, too.
    const writerType = writer as avro.Type;
    const type = writerType.name ?? '';
    if (!isEventType(type)) throw new UnknownEventSchemaError(type);
    const readerType = eventTypeOf(type, currentVersionOf(type));
    let resolver: avro.Resolver | undefined;
    try {
      resolver = readerType.equals(writerType) ? undefined : readerType.createResolver(writerType);
    } catch (error) {
      throw new UndecodableEventError(
        `current ${type} cannot read its writer schema: ${(error as Error).message}`,
        schemaId,
      );
    }
    return {
      type,
      writerVersion: versionOfWriter(type, writerType),
      // Plain objects, not avsc record instances: consumers compare, spread and serialise them.
      read: (body) => ({ ...readerType.fromBuffer(body, resolver) }),
    };
  }

  private cached<K, V>(cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
    let pending = cache.get(key);
    if (!pending) {
      pending = load();
      cache.set(key, pending);
      // A failure is not cached: the schema may be registered a moment later.
      pending.catch(() => cache.delete(key));
    }
    return pending;
  }
}
