import type { IHeaders, KafkaMessage } from 'kafkajs';

/**
 * One Kafka record as the projection runtime sees it: coordinates, key, raw value and headers
 * (as UTF-8 strings). The same shape is rebuilt from Postgres when a parked record is retried.
 */
export interface ProjectionRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Readonly<Record<string, string>>;
  /** Broker timestamp, milliseconds since the epoch as a string (kafkajs convention). */
  timestamp: string;
}

/** Headers become strings; a repeated header keeps its last value (the relay never repeats one). */
export function normalizeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) result[name] = value.toString();
  }
  return result;
}

export function toProjectionRecord(
  topic: string,
  partition: number,
  message: KafkaMessage,
): ProjectionRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key === null ? null : message.key.toString(),
    value: message.value,
    headers: normalizeHeaders(message.headers),
    timestamp: message.timestamp,
  };
}
