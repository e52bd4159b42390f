import {
  businessTimeOf,
  deciderOfStream,
  eventSchemaVersion,
  FoldingDecider,
  foldAsOf,
  isLedgerEventType,
  LedgerEvent,
} from '@ledger/domain';
import { loadAggregate, RecordedEvent, staleSchemaVersions, upgradeEventSchemas } from '@ledger/event-store';
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
 * Rewrites stored events of old schema versions into the current version, through the event store's
 * upgrade (the same upcasters reads use). Dry-run by default: counts what would change. Consumers already
 * read the current shape (they upcast on decode), so nothing is republished. Runs as the owner role.
 */
async function migrateEvents(ctx: OpsContext, out: Output, options: { execute?: boolean; batch: number }) {
  const stale = await staleSchemaVersions(ctx.pool, (type) =>
    isLedgerEventType(type) ? eventSchemaVersion(type) : undefined,
  );
  if (stale.length === 0) return out.info('every stored event is at its current schema version');
  for (const entry of stale) {
    out.info(`${entry.type} v${entry.schemaVersion}: ${entry.count} event(s) → v${entry.currentVersion}`);
  }
  if (!options.execute) return out.info('dry run: pass --execute to rewrite them');
  const progress = out.progress(
    'events-migrate',
    stale.reduce((sum, entry) => sum + entry.count, 0),
  );
  const rewritten = await upgradeEventSchemas(ctx.pool, ctx.store, stale, {
    batchSize: options.batch,
    onProgress: (done) => {
      progress.update(done);
      out.detail(`rewrote ${done} event(s)`);
    },
  });
  progress.stop();
  out.info(`rewrote ${rewritten} event(s)`);
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
