import type { SqlWrite } from '@ledger/projections';
import type { AccountEvent } from '../events';
import { recordsetWrite } from '../recordset';
import type { AccountTables } from '../tables';

/**
 * The audit trail of every account event: who (the verified actor, and for a service the subject it acted
 * for), what (the event type and its payload) and when. Inserted without `on conflict`, like the
 * statement: a row that exists means the checkpoint and the read model disagree.
 */
export function insertAccountHistory(
  events: readonly AccountEvent[],
  tables: AccountTables,
): SqlWrite | undefined {
  if (events.length === 0) return undefined;
  return recordsetWrite(
    `insert into ${tables.history}`,
    {
      account_id: ['uuid', (e) => e.data.accountId],
      stream_version: ['integer', (e) => e.streamVersion],
      event_id: ['uuid', (e) => e.eventId],
      event_type: ['text', (e) => e.type],
      detail: ['jsonb', (e) => e.data],
      recorded_at: ['timestamptz', (e) => e.recordedAt],
      global_position: ['bigint', (e) => e.globalPosition],
      actor: ['text', (e) => e.actor],
      actor_role: ['text', (e) => e.actorRole],
      origin_actor: ['text', (e) => e.originActor],
      origin_actor_role: ['text', (e) => e.originActorRole],
      correlation_id: ['text', (e) => e.correlationId],
    },
    events,
  );
}
