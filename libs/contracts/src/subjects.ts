/**
 * Registry subject of an event schema under TopicRecordNameStrategy: `<topic>-<record full name>`.
 * Several event types share one topic, so the subject names both, and each event type evolves on its own.
 */
export function topicRecordSubject(topic: string, recordFullName: string): string {
  return `${topic}-${recordFullName}`;
}
