import { randomUUID } from 'node:crypto';
import { accountDecider, accountStreamId, eventSchemaVersion, type AccountEvent } from '@ledger/domain';
import { saveSnapshotIfDue, type EventStore, type NewEvent, type SnapshotOptions } from '@ledger/event-store';
import { depositMoney, openAccount, requestMetadata } from './fixtures';

/**
 * Opens an account and deposits until its stream has `length` events, appending `batch` events at a time
 * and snapshotting after each append as the command handler would. Returns the stream id.
 */
export async function seedAccount(
  store: EventStore,
  length: number,
  batch: number,
  snapshots: SnapshotOptions,
): Promise<string> {
  const accountId = randomUUID();
  const streamId = accountStreamId(accountId);
  let state = accountDecider.initialState;
  let version = 0;
  while (version < length) {
    const commands = Array.from({ length: Math.min(batch, length - version) }, (_, index) =>
      version + index === 0 ? openAccount(accountId) : depositMoney(accountId),
    );
    const events: AccountEvent[] = [];
    for (const command of commands) {
      const decided = accountDecider.decide(command, state);
      events.push(...decided);
      state = decided.reduce(accountDecider.evolve, state);
    }
    const appended = await store.appendToStream(
      streamId,
      accountDecider.streamType,
      version,
      events.map(toNewEvent),
    );
    const change = { previousVersion: version, version: appended.nextExpectedVersion, state };
    await saveSnapshotIfDue(store, accountDecider, streamId, change, snapshots);
    version = appended.nextExpectedVersion;
  }
  return streamId;
}

const toNewEvent = (event: AccountEvent): NewEvent => ({
  type: event.type,
  schemaVersion: eventSchemaVersion(event.type),
  data: event.data,
  metadata: requestMetadata(),
});
