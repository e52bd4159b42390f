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
      account_id: 'uuid',
      stream_version: 'integer',
      event_id: 'uuid',
      event_type: 'text',
      detail: 'jsonb',
      recorded_at: 'timestamptz',
      global_position: 'bigint',
      actor: 'text',
      actor_role: 'text',
      origin_actor: 'text',
      origin_actor_role: 'text',
      correlation_id: 'text',
    },
    events.map((e) => ({
      account_id: e.data.accountId,
      stream_version: e.streamVersion,
      event_id: e.eventId,
      event_type: e.type,
      detail: e.data,
      recorded_at: e.recordedAt,
      global_position: e.globalPosition,
      actor: e.actor ?? null,
      actor_role: e.actorRole ?? null,
      origin_actor: e.originActor ?? null,
      origin_actor_role: e.originActorRole ?? null,
      correlation_id: e.correlationId ?? null,
    })),
  );
}
