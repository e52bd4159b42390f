import type { LogPosition, RecordedEvent } from './types';

/** Before every event. */
export const LOG_START: LogPosition = Object.freeze({ transactionId: 0, globalPosition: 0 });

export function logPositionOf(event: RecordedEvent): LogPosition {
  return { transactionId: event.transactionId, globalPosition: event.globalPosition };
}

/** Negative when `a` comes first in the log, 0 when equal, positive otherwise. */
export function compareLogPositions(a: LogPosition, b: LogPosition): number {
  return a.transactionId - b.transactionId || a.globalPosition - b.globalPosition;
}
