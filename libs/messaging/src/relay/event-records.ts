import { isEventType, topicOf, type EventType } from '@ledger/contracts';
import type { RecordedEvent } from '@ledger/event-store';
import type { Message, TopicMessages } from 'kafkajs';
import { eventHeaders } from './headers';

/** Encodes event data into a record value; AvroEventCodec is one. */
export interface EventEncoder {
  /** `validate: false`: the data was validated before (on append), only encode it. */
  encode(type: string, version: number, data: unknown, options?: { validate?: boolean }): Promise<Buffer>;
}

/** The topic of an event type; default `topicOf` from @ledger/contracts. */
export type TopicRouter = (type: EventType) => string;

/** An event the relay cannot turn into a record. It blocks the relay (never skipped) until fixed. */
export class EventEncodingError extends Error {
  override readonly name = 'EventEncodingError';

  constructor(
    readonly event: Pick<
      RecordedEvent,
      'eventId' | 'streamId' | 'streamVersion' | 'globalPosition' | 'type' | 'schemaVersion'
    >,
    override readonly cause: unknown,
  ) {
    super(
      `cannot encode ${event.type} v${event.schemaVersion} (event ${event.eventId}, ${event.streamId}@${event.streamVersion}): ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
    );
  }
}

/**
 * The records of a batch, grouped by topic, each topic's messages in log order. The key is the stream id,
 * so each stream lands on one partition in stream-version order. Events are encoded at the version they
 * are read in, which after upcasting is the current one.
 */
export async function toTopicMessages(
  events: readonly RecordedEvent[],
  encoder: EventEncoder,
  topicFor: TopicRouter = topicOf,
): Promise<TopicMessages[]> {
  const byTopic = new Map<string, Message[]>();
  // The router reads the environment (the topic prefix): once per type and batch, not once per event.
  const topics = new Map<EventType, string>();
  for (const event of events) {
    let topic: string;
    let value: Buffer;
    try {
      if (!isEventType(event.type)) throw new Error(`unknown event type ${event.type}`);
      topic = topics.get(event.type) ?? topicFor(event.type);
      topics.set(event.type, topic);
      // Validated when appended (upcasters are tested against the schemas): encoding is all that is left.
      value = await encoder.encode(event.type, event.schemaVersion, event.data, { validate: false });
    } catch (error) {
      throw new EventEncodingError(event, error);
    }
    const messages = byTopic.get(topic) ?? [];
    // The record time is the event's time, so a reader can seek a topic to "as of T" by timestamp.
    messages.push({
      key: event.streamId,
      value,
      headers: eventHeaders(event),
      timestamp: String(event.recordedAt.getTime()),
    });
    byTopic.set(topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** Log fields naming the event an encoding failure concerns; none for another error. */
export function encodingFailureContext(error: unknown): object {
  if (!(error instanceof EventEncodingError)) return {};
  const { eventId, streamId, streamVersion, globalPosition } = error.event;
  return { eventId, streamId, streamVersion, globalPosition };
}
