import { purgeIdempotencyKeys, pruneSnapshots } from '@ledger/event-store';
import type { Command } from 'commander';
import { OpsContext, Output, UsageError } from '../context';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90m`, `36h`, `30d`, `2w`: a duration back from now, as the time it reaches. */
export function parseAge(value: string): Date {
  const match = /^(\d+)([smhdw])$/.exec(value);
  if (!match) throw new UsageError(`not a duration like 30d, 12h, 90m, 45s or 2w: ${value}`);
  return new Date(Date.now() - Number(match[1]) * UNIT_MS[match[2]!]!);
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`not a positive integer: ${value}`);
  return Number(value);
}

async function purgeKeys(ctx: OpsContext, out: Output, options: { olderThan: Date; dryRun?: boolean }) {
  const progress = options.dryRun ? undefined : out.progress('idempotency keys', 0);
  const count = await purgeIdempotencyKeys(ctx.pool, options.olderThan, {
    dryRun: options.dryRun,
    onProgress: (deleted, total) => progress?.update(deleted, total),
  });
  progress?.stop();
  const before = options.olderThan.toISOString();
  out.result(
    { deleted: options.dryRun ? 0 : count, matched: count, before, dryRun: Boolean(options.dryRun) },
    () =>
      out.info(
        `${options.dryRun ? 'would delete' : 'deleted'} ${count} idempotency key(s) recorded before ${before}`,
      ),
  );
}

async function prune(
  ctx: OpsContext,
  out: Output,
  options: { keep?: number; olderThan?: Date; dryRun?: boolean },
) {
  if (options.keep === undefined && options.olderThan === undefined)
    throw new UsageError('give --keep <n>, --older-than <duration> or both');
  const progress = options.dryRun ? undefined : out.progress('snapshots', 0);
  const count = await pruneSnapshots(
    ctx.pool,
    { keep: options.keep, takenBefore: options.olderThan },
    { dryRun: options.dryRun, onProgress: (deleted, total) => progress?.update(deleted, total) },
  );
  progress?.stop();
  out.result({ deleted: options.dryRun ? 0 : count, matched: count, dryRun: Boolean(options.dryRun) }, () =>
    out.info(`${options.dryRun ? 'would delete' : 'deleted'} ${count} snapshot(s)`),
  );
}

export function registerMaintenance(
  program: Command,
  ctx: () => OpsContext,
  out: (command: Command) => Output,
) {
  program
    .command('idempotency-keys')
    .description('the command service’s idempotency keys')
    .command('purge')
    .description('delete keys recorded before a time; a retry with a purged key runs as a new request')
    .requiredOption('--older-than <duration>', 'age like 30d, 12h, 90m', parseAge)
    .option('--dry-run', 'count only')
    .action(async (options, command: Command) => purgeKeys(ctx(), out(command), options));
  program
    .command('snapshots')
    .description('aggregate snapshots')
    .command('prune')
    .description('delete snapshots: beyond the newest N per stream and/or taken before a time')
    .option('--keep <n>', 'snapshots to keep per stream (highest state version first)', parseCount)
    .option('--older-than <duration>', 'delete those taken longer ago, like 30d', parseAge)
    .option('--dry-run', 'count only')
    .action(async (options, command: Command) => prune(ctx(), out(command), options));
}
