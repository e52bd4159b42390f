import type { ClientBase } from 'pg';
import type { RecordedEvent, Snapshot } from '../types';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './rows';

/**
 * The snapshot and the events after it in one statement, so both come from one snapshot of the
 * database and one round trip. The snapshot, when there is one, is the row flagged `from_snapshot`, its
 * state in `data` and its time in `recorded_at`. Union all keeps each branch's rows as they come; the
 * caller does not rely on the order between branches.
 */
const STREAM_FROM_SNAPSHOT = {
  name: 'event-store.stream-from-snapshot',
  text: `
    with snapshot as materialized (
      select stream_version, state, taken_at from snapshots where stream_id = $1 and snapshot_version = $2::int
    )
    select true as from_snapshot, null::text as global_position, null::text as transaction_id,
           null::text as stream_id, null::text as stream_type, stream_version, null::text as event_id,
           null::text as event_type, null::int as schema_version, state as data, null::jsonb as metadata,
           taken_at as recorded_at
    from snapshot
    union all
    (select false, ${EVENT_COLUMNS} from events
     where stream_id = $1 and stream_version > coalesce((select stream_version from snapshot), 0)
     order by stream_version)`,
};

type Row = EventRow & { from_snapshot: boolean };

export async function readStreamFromSnapshot(
  client: Pick<ClientBase, 'query'>,
  streamId: string,
  snapshotVersion: number | undefined,
): Promise<{ snapshot?: Snapshot; events: RecordedEvent[] }> {
  const { rows } = await client.query<Row>({
    ...STREAM_FROM_SNAPSHOT,
    values: [streamId, snapshotVersion ?? null],
  });
  let snapshot: Snapshot | undefined;
  const events: RecordedEvent[] = [];
  for (const row of rows) {
    if (row.from_snapshot) {
      snapshot = {
        streamId,
        snapshotVersion: snapshotVersion as number,
        streamVersion: row.stream_version,
        state: row.data,
        takenAt: row.recorded_at,
      };
    } else {
      events.push(toRecordedEvent(row));
    }
  }
  return { snapshot, events };
}
