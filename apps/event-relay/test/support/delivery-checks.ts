import type { RecordedEvent } from '@ledger/event-store';
import { waitFor } from '@ledger/testing';
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

/**
 * Waits until every one of `events` is on Kafka as the reader sees it (read_committed). Under a load that
 * goes on, this is "caught up": the relay's lag stays at about one batch rather than reaching 0.
 */
export async function untilOnKafka(
  reader: TopicReader,
  events: readonly RecordedEvent[],
  what: string,
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    () => {
      const onKafka = reader.eventIds();
      const missing = events.filter((event) => !onKafka.has(event.eventId)).length;
      if (missing === 0) return true;
      throw new Error(`${missing} of ${events.length} not on Kafka yet`);
    },
    { what, timeoutMs },
  );
}
