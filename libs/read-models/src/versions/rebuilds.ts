import type { Pool, PoolClient } from 'pg';
import type { ReadModelName } from './models';

type Db = Pick<Pool | PoolClient, 'query'>;

export type RebuildState = 'building' | 'swapping' | 'swapped' | 'failed';
export type RebuildMode = 'fast' | 'incremental';

/** A rebuild as recorded in `read_model_rebuilds`: what the CLI prints and the console shows. */
export interface RebuildRecord {
  id: number;
  readModel: ReadModelName;
  version: number;
  group: string;
  previousVersion: number;
  mode: RebuildMode;
  state: RebuildState;
  eventsApplied: number;
  eventsTotal: number;
  lagEvents: number | null;
  ratePerSecond: number | null;
  etaSeconds: number | null;
  keepPrevious: boolean;
  dropAfter: string | null;
  previousDroppedAt: string | null;
  message: string | null;
  startedAt: string;
  updatedAt: string;
  swappedAt: string | null;
  finishedAt: string | null;
}

export interface RebuildProgress {
  eventsApplied: number;
  eventsTotal: number;
  lagEvents: number;
  ratePerSecond: number;
  /** Null while the rate is still zero. */
  etaSeconds: number | null;
}

interface Row {
  id: string;
  read_model: ReadModelName;
  version: number;
  group_name: string;
  previous_version: number;
  mode: RebuildMode;
  state: RebuildState;
  events_applied: string;
  events_total: string;
  lag_events: string | null;
  rate_per_second: number | null;
  eta_seconds: number | null;
  keep_previous: boolean;
  drop_after: Date | null;
  previous_dropped_at: Date | null;
  message: string | null;
  started_at: Date;
  updated_at: Date;
  swapped_at: Date | null;
  finished_at: Date | null;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);
const count = (value: string | null) => (value === null ? null : Number(value));

function toRecord(row: Row): RebuildRecord {
  return {
    id: Number(row.id),
    readModel: row.read_model,
    version: row.version,
    group: row.group_name,
    previousVersion: row.previous_version,
    mode: row.mode,
    state: row.state,
    eventsApplied: Number(row.events_applied),
    eventsTotal: Number(row.events_total),
    lagEvents: count(row.lag_events),
    ratePerSecond: row.rate_per_second,
    etaSeconds: row.eta_seconds,
    keepPrevious: row.keep_previous,
    dropAfter: iso(row.drop_after),
    previousDroppedAt: iso(row.previous_dropped_at),
    message: row.message,
    startedAt: row.started_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    swappedAt: iso(row.swapped_at),
    finishedAt: iso(row.finished_at),
  };
}

/** The next version number: above the active one and every version a rebuild ever used. */
export async function nextVersion(db: Db, model: ReadModelName, active: number): Promise<number> {
  const { rows } = await db.query<{ max: number | null }>(
    'select max(version) as max from read_model_rebuilds where read_model = $1',
    [model],
  );
  return Math.max(active, rows[0]?.max ?? 0) + 1;
}

export async function insertRebuild(
  db: Db,
  rebuild: Pick<
    RebuildRecord,
    'readModel' | 'version' | 'group' | 'previousVersion' | 'mode' | 'keepPrevious'
  >,
): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `insert into read_model_rebuilds (read_model, version, group_name, previous_version, mode, state, keep_previous)
     values ($1, $2, $3, $4, $5, 'building', $6) returning id`,
    [
      rebuild.readModel,
      rebuild.version,
      rebuild.group,
      rebuild.previousVersion,
      rebuild.mode,
      rebuild.keepPrevious,
    ],
  );
  return Number(rows[0]!.id);
}

export async function recordProgress(db: Db, id: number, progress: RebuildProgress): Promise<void> {
  await db.query(
    `update read_model_rebuilds set events_applied = $2, events_total = $3, lag_events = $4, rate_per_second = $5,
            eta_seconds = $6, updated_at = now() where id = $1`,
    [
      id,
      progress.eventsApplied,
      progress.eventsTotal,
      progress.lagEvents,
      progress.ratePerSecond,
      progress.etaSeconds,
    ],
  );
}

export async function recordState(
  db: Db,
  id: number,
  state: RebuildState,
  message: string | null = null,
): Promise<void> {
  await db.query(
    `update read_model_rebuilds set state = $2, message = coalesce($3, message), updated_at = now(),
            swapped_at = case when $2 = 'swapped' then now() else swapped_at end,
            finished_at = case when $2 in ('swapped', 'failed') then now() else finished_at end
      where id = $1`,
    [id, state, message],
  );
}

export async function recordDropPlan(db: Db, id: number, dropAfterMs: number | null): Promise<void> {
  await db.query(
    `update read_model_rebuilds set drop_after = case when $2::bigint is null then null
            else now() + make_interval(secs => $2::bigint / 1000.0) end, updated_at = now() where id = $1`,
    [id, dropAfterMs],
  );
}

export async function recordPreviousDropped(db: Db, id: number): Promise<void> {
  await db.query(
    'update read_model_rebuilds set previous_dropped_at = now(), updated_at = now() where id = $1',
    [id],
  );
}

/** Rebuilds left running by a process that is gone (the caller holds the model's rebuild lock). */
export async function abandonedRebuilds(db: Db, model: ReadModelName): Promise<RebuildRecord[]> {
  const { rows } = await db.query<Row>(
    `select * from read_model_rebuilds where read_model = $1 and state in ('building', 'swapping') order by id`,
    [model],
  );
  return rows.map(toRecord);
}

/** Swapped rebuilds whose previous version is due to be dropped (a grace interrupted, or a later run). */
export async function previousVersionsDue(db: Db, model: ReadModelName): Promise<RebuildRecord[]> {
  const { rows } = await db.query<Row>(
    `select * from read_model_rebuilds where read_model = $1 and state = 'swapped' and not keep_previous
        and previous_dropped_at is null and drop_after <= now() order by id`,
    [model],
  );
  return rows.map(toRecord);
}

/** The latest rebuilds of every read model, newest first: the console's and the status's view. */
export async function recentRebuilds(db: Db, limit = 10): Promise<RebuildRecord[]> {
  const { rows } = await db.query<Row>('select * from read_model_rebuilds order by id desc limit $1', [
    limit,
  ]);
  return rows.map(toRecord);
}
