import { eventTypes, type CurrentEventData, type EventType } from '@ledger/contracts';
import type { DecodedEvent } from '@ledger/projections';

/** A decoded event whose `type` names it and whose data is the current version of that type. */
export type LedgerEvent<T extends EventType> = DecodedEvent<CurrentEventData[T]> & { readonly type: T };

export type AccountEventType = Extract<EventType, `ledger.accounts.${string}`>;
export type TransferEventType = Extract<EventType, `ledger.transfers.${string}`>;

/** Every account event, discriminated by `type`. */
export type AccountEvent = { [T in AccountEventType]: LedgerEvent<T> }[AccountEventType];
/** Every transfer event, discriminated by `type`. */
export type TransferEvent = { [T in TransferEventType]: LedgerEvent<T> }[TransferEventType];

const accountEventTypes: ReadonlySet<string> = new Set(
  eventTypes.filter((type) => type.startsWith('ledger.accounts.')),
);
const transferEventTypes: ReadonlySet<string> = new Set(
  eventTypes.filter((type) => type.startsWith('ledger.transfers.')),
);

// The codec decodes every record into the current version of its type, so the type name alone is enough.
export const isAccountEvent = (event: DecodedEvent): event is AccountEvent =>
  accountEventTypes.has(event.type);
export const isTransferEvent = (event: DecodedEvent): event is TransferEvent =>
  transferEventTypes.has(event.type);
