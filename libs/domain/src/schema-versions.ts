import { currentVersions, eventTypes, type CurrentEventData, type EventType } from '@ledger/contracts';
import type { AccountEvent, AccountEventType } from './accounts/events';
import type { TransferEvent, TransferEventType } from './transfers/events';

export type LedgerEvent = AccountEvent | TransferEvent;
export type LedgerEventType = AccountEventType | TransferEventType;

/** Every event type the domain emits, in catalogue order; the catalogue (avro-schemas/) owns the list. */
export const LEDGER_EVENT_TYPES: readonly LedgerEventType[] = eventTypes;

export function isLedgerEventType(type: string): type is LedgerEventType {
  return Object.hasOwn(currentVersions, type);
}

/**
 * The schema version the domain writes for an event type: the newest one in avro-schemas/, as generated
 * into @ledger/contracts. Older versions are upcast on read.
 */
export function eventSchemaVersion(type: LedgerEventType): number {
  return currentVersions[type];
}

// Compile-time link between the hand-written domain events and the types generated from the schemas:
// `npm run typecheck` fails, naming the event, when a field is added, dropped, renamed or retyped on one
// side only, or when the domain and the catalogue disagree on the set of event types.

/** A's and B's values are assignable both ways (readonly aside): same fields, same types, same nullability. */
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type DomainEventData = { [E in LedgerEvent as E['type']]: E['data'] };

/** The event types whose domain data drifted from the current schema; never when all agree. */
type Drifted = {
  [T in EventType]: T extends LedgerEventType
    ? SameShape<DomainEventData[T], CurrentEventData[T]> extends true
      ? never
      : T
    : T;
}[EventType];

/** Event types the domain emits that have no schema. */
type WithoutSchema = Exclude<LedgerEventType, EventType>;

const _domainEventsMatchSchemas: [Drifted | WithoutSchema] extends [never]
  ? true
  : { drifted: Drifted; withoutSchema: WithoutSchema } = true;
