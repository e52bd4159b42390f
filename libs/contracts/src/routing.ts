import { currentVersions, eventTopics, type EventType } from './generated';
import { inNamespace } from './namespace';
import { topicRecordSubject } from './subjects';

/** True when `value` names an event type of the catalogue (a wire type). */
export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(currentVersions, value);
}

/** The Kafka topic an event type is published to, in the current namespace (KAFKA_TOPIC_PREFIX). */
export function topicOf(type: EventType): string {
  return inNamespace(eventTopics[type]);
}

/** The registry subject of an event type (TopicRecordNameStrategy, on the logical topic name). */
export function subjectOf(type: EventType): string {
  return topicRecordSubject(eventTopics[type], type);
}
