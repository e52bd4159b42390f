import { AvroEventCodec, UndecodableEventError, UnknownEventSchemaError } from '@ledger/messaging';
import { TransientError } from './errors';
import { DecodedEvent, eventFromRecord } from './event';
import type { DecodeRecord } from './projection';
import type { ProjectionRecord } from './record';

/**
 * Decodes a Kafka record for a consumer: Avro payload through the registry, envelope from key and headers.
 * A record that can never be decoded is poison (it goes to the retry and dead-letter topics); a registry
 * that does not answer is transient (the partition pauses and retries).
 */
export function avroRecordDecoder(codec: AvroEventCodec): DecodeRecord<DecodedEvent> {
  return async (record: ProjectionRecord) => {
    if (record.value === null) throw new UndecodableEventError('record has no value');
    let payload: Awaited<ReturnType<AvroEventCodec['decode']>>;
    try {
      payload = await codec.decode(record.value);
    } catch (error) {
      if (error instanceof UndecodableEventError || error instanceof UnknownEventSchemaError) throw error;
      throw new TransientError(
        `schema registry unavailable: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
    return { ...eventFromRecord(record, payload.data), type: payload.type, schemaVersion: payload.version };
  };
}
