import type { RecordedEvent } from './types';

/**
 * Turns the data of one schema version into the next. `TFrom` is what the caller asserts stored data of
 * that version looks like; the registry cannot check it.
 */
export type Upcaster<TFrom = unknown, TTo = unknown> = (data: TFrom, event: RecordedEvent) => TTo;

/**
 * Upcasters per event type and source version. Reading applies them in a chain (v1 → v2 → v3 …) until no
 * upcaster starts at the event's version, so consumers only ever see the current shape.
 */
export class UpcasterRegistry {
  private readonly byType = new Map<string, Map<number, Upcaster>>();

  /** Registers the step from `fromVersion` to `fromVersion + 1` of `eventType`. */
  register<TFrom = unknown, TTo = unknown>(
    eventType: string,
    fromVersion: number,
    upcast: Upcaster<TFrom, TTo>,
  ): this {
    if (!(Number.isSafeInteger(fromVersion) && fromVersion >= 1)) {
      throw new RangeError(`fromVersion must be a positive integer, got ${fromVersion}`);
    }
    const steps = this.byType.get(eventType) ?? new Map<number, Upcaster>();
    if (steps.has(fromVersion)) {
      throw new Error(`an upcaster for ${eventType} v${fromVersion} is already registered`);
    }
    // The one place where the caller's claim about the stored shape is trusted.
    steps.set(fromVersion, upcast as Upcaster);
    this.byType.set(eventType, steps);
    return this;
  }

  /** The event at the newest version its registered upcasters reach; unchanged when none apply. */
  upcast(event: RecordedEvent): RecordedEvent {
    const steps = this.byType.get(event.type);
    if (steps === undefined) return event;
    let current = event;
    for (let step = steps.get(current.schemaVersion); step; step = steps.get(current.schemaVersion)) {
      current = { ...current, data: step(current.data, current), schemaVersion: current.schemaVersion + 1 };
    }
    return current;
  }
}

/** A registry with nothing registered: events are read as stored. */
export const NO_UPCASTERS = new UpcasterRegistry();
