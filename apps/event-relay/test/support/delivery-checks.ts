import type { RecordedEvent } from '@ledger/event-store';
import type { TopicReader } from './topic-reader';

export interface DeliveryReport {
  stored: number;
  records: number;
  duplicates: number;
  /** Keys whose versions, taking each event's first appearance, are not 1, 2, 3, ... */
  keysOutOfOrder: string[];
  missing: string[];
  unexpected: string[];
}

/**
 * Compares what reached the topics with the store. A duplicate (a record whose event id was seen before)
 * is allowed after a failure; everything else must match: every event present, nothing foreign, and per
 * key the first appearances in stream-version order.
 */
export function compareWithStore(reader: TopicReader, stored: readonly RecordedEvent[]): DeliveryReport {
  const storedIds = new Set(stored.map((event) => event.eventId));
  const seen = reader.eventIds();
  const firstAppearances = new Map<string, number[]>();
  const counted = new Set<string>();
  const ordered = [...reader.records].sort(
    (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || a.offset - b.offset,
  );
  for (const record of ordered) {
    const id = record.headers['event-id'];
    if (counted.has(id)) continue;
    counted.add(id);
    const versions = firstAppearances.get(record.key) ?? [];
    versions.push(Number(record.headers['stream-version']));
    firstAppearances.set(record.key, versions);
  }
  return {
    stored: stored.length,
    records: reader.records.length,
    duplicates: reader.records.length - seen.size,
    keysOutOfOrder: [...firstAppearances]
      .filter(([, versions]) => versions.some((version, index) => version !== index + 1))
      .map(([key]) => key),
    missing: [...storedIds].filter((id) => !seen.has(id)),
    unexpected: [...seen].filter((id) => !storedIds.has(id)),
  };
}
