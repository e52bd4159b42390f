import { createHash } from 'node:crypto';

const NAMESPACE = 'ledger';

/**
 * A name-based (version 5 style) UUID: the same name always yields the same id. Lets a repeated
 * request with the same Idempotency-Key create the same account or transfer.
 */
export function deterministicUuid(name: string): string {
  const bytes = createHash('sha1').update(`${NAMESPACE}:${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
