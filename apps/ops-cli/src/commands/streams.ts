import {
  businessTimeOf,
  deciderOfStream,
  eventSchemaVersion,
  FoldingDecider,
  foldAsOf,
  isLedgerEventType,
  LedgerEvent,
} from '@ledger/domain';
import { loadAggregate, RecordedEvent } from '@ledger/event-store';
import type { Command } from 'commander';
import { OpsContext, Output, UsageError } from '../context';

function deciderOf(streamId: string): FoldingDecider {
  const decider = deciderOfStream(streamId);
  if (!decider) throw new UsageError(`stream ids start with account- or transfer-, got "${streamId}"`);
  return decider;
}

function parseDate(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`not an ISO-8601 time: ${value}`);
  return date;
}

function parsePositiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`not a positive integer: ${value}`);
  return Number(value);
}

/**
 * A stream's events and the state they fold into on both time axes (docs/adr/0011-time-axes.md): the events
 * in effect by `--as-of` (business time, default: the --known-at time) and recorded by `--known-at` (record
 * time, default now), optionally up to a version. Every event shows both of its times.
 */
async function inspect(
  ctx: OpsContext,
  out: Output,
  streamId: string,
  options: { asOf?: Date; knownAt?: Date; version?: number },
) {
  const decider = deciderOf(streamId);
  const knownAt = options.knownAt ?? new Date();
  const axes = { asOf: (options.asOf ?? knownAt).toISOString(), knownAt: knownAt.toISOString() };
  const events = await ctx.store.readStream(streamId, { asOf: knownAt, toVersion: options.version });
  const { state, counted } = foldAsOf(decider, events, axes);
  if (counted.length === 0) {
    throw new UsageError(
      `stream ${streamId} has no events${options.asOf || options.knownAt ? ` as of ${axes.asOf} known at ${axes.knownAt}` : ''}`,
    );
  }
  const shown = counted as RecordedEvent[];
  const view = { streamId, ...axes, version: shown.at(-1)!.streamVersion, state, events: shown.map(summary) };
  out.result(view, () => {
    for (const event of shown) {
      out.info(
        `v${event.streamVersion}  #${event.globalPosition}  effective ${businessTimeOf(event as unknown as LedgerEvent)}  recorded ${event.recordedAt.toISOString()}  ${event.type} v${event.schemaVersion}  ${event.eventId}  by ${actorOf(event)}`,
      );
      out.detail(`    ${JSON.stringify(event.data)}  ${JSON.stringify(event.metadata)}`);
    }
    out.info(
      `state as of ${axes.asOf}, known at ${axes.knownAt} (v${view.version}): ${JSON.stringify(state)}`,
    );
  });
}

/** Who recorded the event: subject (role), and for a service the subject it acted for. */
function actorOf(event: RecordedEvent): string {
  const { actor, actorRole, originActor, originActorRole } = event.metadata;
  if (!actor) return '(unknown)';
  const who = `${actor} (${actorRole ?? 'unknown role'})`;
  return originActor ? `${who} for ${originActor} (${originActorRole ?? 'unknown role'})` : who;
}

const summary = (event: RecordedEvent) => ({
  actor: actorOf(event),
  streamVersion: event.streamVersion,
  globalPosition: event.globalPosition,
  eventId: event.eventId,
  type: event.type,
  schemaVersion: event.schemaVersion,
  effectiveAt: businessTimeOf(event as unknown as LedgerEvent),
  recordedAt: event.recordedAt,
  data: event.data,
  metadata: event.metadata,
});

/** Folds streams from their events alone and stores the result as their latest snapshot. */
async function rebuildSnapshots(ctx: OpsContext, out: Output, streamIds: string[], dryRun: boolean) {
  let done = 0;
  const progress = out.progress('snapshots', streamIds.length);
  for (const streamId of streamIds) {
    const decider = deciderOf(streamId);
    const loaded = await loadAggregate(ctx.store, { ...decider, stateVersion: undefined }, streamId);
    if (loaded.version === 0) throw new UsageError(`stream ${streamId} has no events`);
    if (!dryRun) {
      await ctx.store.saveSnapshot({
        streamId,
        snapshotVersion: decider.stateVersion,
        streamVersion: loaded.version,
        state: loaded.state,
      });
    }
    done++;
    out.detail(`${dryRun ? 'would snapshot' : 'snapshot'} ${streamId} at v${loaded.version}`);
    progress.update(done);
  }
  progress.stop();
  out.info(`${dryRun ? 'would rebuild' : 'rebuilt'} ${done} snapshot(s)`);
}

/**
 * Rewrites stored events of old schema versions into the current version, through the same upcasters
 * reads use. Dry-run by default: counts what would change. Events keep their ids, positions and times;
 * consumers already read the current shape (they upcast on decode), so nothing is republished.
 */
async function migrateEvents(ctx: OpsContext, out: Output, options: { execute?: boolean; batch: number }) {
  const { rows } = await ctx.pool.query<{ event_type: string; schema_version: number; count: string }>(
    'select event_type, schema_version, count(*) from events group by 1, 2 order by 1, 2',
  );
  const stale = rows.filter(
    (row) => isLedgerEventType(row.event_type) && row.schema_version < eventSchemaVersion(row.event_type),
  );
  if (stale.length === 0) return out.info('every stored event is at its current schema version');
  for (const row of stale) {
    out.info(
      `${row.event_type} v${row.schema_version}: ${row.count} event(s) → v${eventSchemaVersion(row.event_type as never)}`,
    );
  }
  if (!options.execute) return out.info('dry run: pass --execute to rewrite them');
  let rewritten = 0;
  const progress = out.progress(
    'events-migrate',
    stale.reduce((sum, row) => sum + Number(row.count), 0),
  );
  for (const row of stale) {
    for (;;) {
      const { rows: batch } = await ctx.pool.query<{
        global_position: string;
        stream_id: string;
        stream_version: number;
      }>(
        `select global_position, stream_id, stream_version from events where event_type = $1 and schema_version = $2 limit $3`,
        [row.event_type, row.schema_version, options.batch],
      );
      if (batch.length === 0) break;
      const upcasts = [];
      for (const event of batch) {
        const [upcast] = await ctx.store.readStream(event.stream_id, {
          fromVersion: event.stream_version,
          toVersion: event.stream_version,
        });
        upcasts.push({ position: event.global_position, upcast: upcast! });
      }
      await rewriteEvents(ctx, upcasts, row.schema_version);
      rewritten += batch.length;
      progress.update(rewritten);
      out.detail(`rewrote ${rewritten} event(s)`);
    }
  }
  progress.stop();
  out.info(`rewrote ${rewritten} event(s)`);
}

/**
 * Events are immutable (a trigger refuses UPDATE); a schema upgrade is the one sanctioned rewrite, declared
 * per transaction. Only the owner role holds UPDATE on events, so this runs as the owner (ops-cli's
 * DATABASE_URL), never as an app.
 */
async function rewriteEvents(
  ctx: OpsContext,
  events: Array<{ position: string; upcast: RecordedEvent }>,
  fromVersion: number,
) {
  const client = await ctx.pool.connect();
  try {
    await client.query('begin');
    await client.query("set local ledger.event_rewrite = 'on'");
    for (const { position, upcast } of events) {
      await client.query(
        'update events set data = $2, schema_version = $3 where global_position = $1 and schema_version = $4',
        [position, JSON.stringify(upcast.data), upcast.schemaVersion, fromVersion],
      );
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export function registerStreams(program: Command, ctx: () => OpsContext, out: (command: Command) => Output) {
  program
    .command('inspect <streamId>')
    .description("a stream's events and its state, on both time axes or up to a version")
    .option(
      '--as-of <time>',
      'business time (ISO-8601): facts in effect by then; default the --known-at time',
      parseDate,
    )
    .option('--known-at <time>', 'record time (ISO-8601): as the ledger knew it then; default now', parseDate)
    .option('--version <n>', 'stream version', parsePositiveInt)
    .action(async (streamId: string, options, command: Command) =>
      inspect(ctx(), out(command), streamId, options),
    );
  program
    .command('snapshots-rebuild <streamIds...>')
    .description('fold streams from their events and store fresh snapshots')
    .option('--dry-run', 'fold without storing')
    .action(async (streamIds: string[], options, command: Command) =>
      rebuildSnapshots(ctx(), out(command), streamIds, Boolean(options.dryRun)),
    );
  program
    .command('events-migrate')
    .description('rewrite events of old schema versions to the current one (dry run unless --execute)')
    .option('--execute', 'rewrite for real')
    .option('--batch <n>', 'events per batch', parsePositiveInt, 500)
    .action(async (options, command: Command) => migrateEvents(ctx(), out(command), options));
}
