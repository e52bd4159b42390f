import { isEventType, topicOf } from '@ledger/contracts';
import type { RecordedEvent } from '@ledger/event-store';
import { expectedPayloadDigest, type EventEncoder, type PublishedRecord } from '@ledger/messaging';
import type { Difference } from '@ledger/read-models';

/**
 * Kafka's side of one stream: each stored event once on its topic, under the stream's key, with the value
 * the relay would encode. Events younger than the grace period may still be on their way (relay lag).
 */
export async function compareWithKafka(
  events: readonly RecordedEvent[],
  published: ReadonlyMap<string, PublishedRecord[]>,
  encoder: EventEncoder,
  options: { now: Date; graceMs: number },
): Promise<Difference[]> {
  const differences: Difference[] = [];
  for (const event of events) {
    const records = published.get(event.eventId) ?? [];
    const what = `kafka.v${event.streamVersion} (${event.eventId})`;
    if (records.length === 0) {
      if (options.now.getTime() - event.recordedAt.getTime() >= options.graceMs) {
        differences.push({ field: what, expected: 'published once', actual: 'missing' });
      }
      continue;
    }
    if (records.length > 1) {
      differences.push({
        field: what,
        expected: 'published once',
        actual: `${records.length} records: ${records.map(where).join(', ')}`,
      });
    }
    const record = records[0]!;
    const topic = isEventType(event.type) ? topicOf(event.type) : null;
    if (record.topic !== topic)
      differences.push({ field: `${what}.topic`, expected: topic, actual: record.topic });
    if (record.key !== event.streamId)
      differences.push({ field: `${what}.key`, expected: event.streamId, actual: record.key });
    const expected = await expectedPayloadDigest(event, encoder);
    if (record.payloadDigest !== expected) {
      differences.push({
        field: `${what}.payload`,
        expected: expected.slice(0, 16),
        actual: record.payloadDigest.slice(0, 16),
      });
    }
  }
  return differences;
}

const where = (record: PublishedRecord) => `${record.topic}[${record.partition}]@${record.offset}`;
