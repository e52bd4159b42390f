import { UndecodableEventError } from './errors';

const MAGIC_BYTE = 0;
const HEADER_LENGTH = 5;

/** Confluent wire format: magic byte 0, the schema id as a big-endian int32, then the Avro binary body. */
export function frame(schemaId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
}

export function unframe(value: Buffer): { schemaId: number; body: Buffer } {
  if (value.length < HEADER_LENGTH || value.readUInt8(0) !== MAGIC_BYTE) {
    throw new UndecodableEventError('not in the Confluent wire format (magic byte 0 and a 4-byte schema id)');
  }
  return { schemaId: value.readInt32BE(1), body: value.subarray(HEADER_LENGTH) };
}
