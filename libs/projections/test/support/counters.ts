import type { Pool, PoolClient } from 'pg';
import type { DecodedEvent, Projection } from '@ledger/projections';

/** A toy read model: per stream, how many events, their amounts' sum and the versions in applied order. */
export const countersTableSql = `
create table if not exists counters (
  projection text not null,
  stream_id text not null,
  events integer not null,
  total bigint not null,
  versions jsonb not null,
  primary key (projection, stream_id)
)`;

export interface Counter {
  events: number;
  total: number;
  versions: number[];
}

type CountedEvent = DecodedEvent<{ amount: number }>;

/** The amount whose event the counter projection's write refuses (see counterProjection). */
export const POISON_WRITE_AMOUNT = 666;

/**
 * The counter projection, with one multi-row upsert per batch, returned for the runtime to run with its
 * checkpoints. `beforeApply` runs first and may throw, which is how tests inject poison events and database
 * failures; an event of amount POISON_WRITE_AMOUNT makes the returned write itself fail (division by zero).
 */
export function counterProjection(
  name: string,
  topics: string[],
  beforeApply: (tx: PoolClient, events: CountedEvent[]) => Promise<void> | void = () => undefined,
): Projection<CountedEvent> {
  return {
    name,
    topics,
    async apply(tx, events) {
      await beforeApply(tx, events);
      const streams = new Map<string, Counter>();
      for (const event of events) {
        const counter = streams.get(event.streamId) ?? { events: 0, total: 0, versions: [] };
        counter.events += 1;
        counter.total += event.data.amount;
        counter.versions.push(event.streamVersion);
        streams.set(event.streamId, counter);
      }
      const ids = [...streams.keys()];
      const poisoned = events.some((event) => event.data.amount === POISON_WRITE_AMOUNT);
      return [
        {
          text: `insert into counters (projection, stream_id, events, total, versions)
         select $1, stream_id, events, total, versions::jsonb
           from unnest($2::text[], $3::int[], $4::bigint[], $5::text[]) as u(stream_id, events, total, versions)
         on conflict (projection, stream_id) do update set
           events = counters.events + excluded.events,
           total = counters.total + excluded.total,
           versions = counters.versions || excluded.versions`,
          values: [
            name,
            ids,
            ids.map((id) => streams.get(id)!.events),
            ids.map((id) => streams.get(id)!.total),
            ids.map((id) => JSON.stringify(streams.get(id)!.versions)),
          ],
        },
        poisoned
          ? {
              text: `insert into counters (projection, stream_id, events, total, versions)
                     values ($2, 'poison', 1 / $1::int, 0, '[]')`,
              values: [0, name],
            }
          : undefined,
      ];
    },
  };
}

export async function readCounters(pool: Pool, projection: string): Promise<Record<string, Counter>> {
  const { rows } = await pool.query<{ stream_id: string; events: number; total: string; versions: number[] }>(
    'select stream_id, events, total, versions from counters where projection = $1 order by stream_id',
    [projection],
  );
  return Object.fromEntries(
    rows.map((row) => [
      row.stream_id,
      { events: row.events, total: Number(row.total), versions: row.versions },
    ]),
  );
}
