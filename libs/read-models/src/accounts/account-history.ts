import type { SqlWrite } from '@ledger/projections';
import type { AccountEvent } from '../events';
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
  return {
    text: `insert into ${tables.history} (account_id, stream_version, event_id, event_type, detail, recorded_at, global_position,
                                  actor, actor_role, origin_actor, origin_actor_role, correlation_id)
     select * from unnest($1::uuid[], $2::integer[], $3::uuid[], $4::text[], $5::jsonb[], $6::timestamptz[], $7::bigint[],
                          $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])`,
    values: [
      events.map((e) => e.data.accountId),
      events.map((e) => e.streamVersion),
      events.map((e) => e.eventId),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => e.recordedAt),
      events.map((e) => e.globalPosition),
      events.map((e) => e.actor ?? null),
      events.map((e) => e.actorRole ?? null),
      events.map((e) => e.originActor ?? null),
      events.map((e) => e.originActorRole ?? null),
      events.map((e) => e.correlationId ?? null),
    ],
  };
}
