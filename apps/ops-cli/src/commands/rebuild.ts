import { AvroEventCodec } from '@ledger/messaging';
import { createPool } from '@ledger/postgres';
import { avroRecordDecoder } from '@ledger/projections';
import {
  isReadModelName,
  PROJECTIONS,
  READ_MODEL_NAMES,
  RebuildRefused,
  runRebuild,
  type RebuildPhase,
  type RebuildProgress,
  type RebuildResult,
} from '@ledger/read-models';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { OpsContext, Output, UsageError } from '../context';
import type { Progress } from '../progress';

export interface RebuildCommandOptions {
  mode: 'fast' | 'incremental';
  keep?: boolean;
  graceSeconds: number;
  lagBound: number;
  freezeTimeoutSeconds: number;
  dryRun?: boolean;
}

/** `accounts`, or the projection's consumer group (`ledger.projector.accounts`) as `status` prints it. */
function readModelNamed(name: string) {
  if (isReadModelName(name)) return name;
  const byGroup = READ_MODEL_NAMES.find((model) => PROJECTIONS[model].name === name);
  if (byGroup) return byGroup;
  throw new UsageError(`unknown projection "${name}"; known: ${READ_MODEL_NAMES.join(', ')}`);
}

const JSON_EVERY_MS = 2000;
const REBUILD_POOL_SIZE = 12;

/** Progress as a bar on a terminal, periodic lines otherwise, or JSON lines on stdout with --json. */
function progressReporter(out: Output, model: string) {
  let bar: Progress | undefined;
  let lastJson = 0;
  return {
    update(phase: RebuildPhase, progress: RebuildProgress) {
      if (out.json) {
        if (Date.now() - lastJson < JSON_EVERY_MS && phase !== 'swapped') return;
        lastJson = Date.now();
        process.stdout.write(
          `${JSON.stringify({ type: 'progress', readModel: model, phase, ...progress })}\n`,
        );
        return;
      }
      bar ??= out.progress(`rebuild ${model}`, progress.eventsTotal, { remaining: 'lag' });
      bar.update(progress.eventsApplied, progress.eventsTotal);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

async function rebuild(ctx: OpsContext, out: Output, name: string, options: RebuildCommandOptions) {
  const model = readModelNamed(name);
  const progress = progressReporter(out, model);
  // Its own pool: the shadow's consumer runs several transactions at once beside the lock and the swap.
  const pool = createPool(
    { connectionString: ctx.config.DATABASE_URL, max: REBUILD_POOL_SIZE },
    () => undefined,
  );
  let result: RebuildResult;
  try {
    result = await runRebuild(
      {
        pool,
        kafka: ctx.kafka,
        admin: await ctx.admin(),
        decode: avroRecordDecoder(AvroEventCodec.forRegistry(ctx.registryConnection)),
      },
      {
        model,
        mode: options.mode,
        keep: Boolean(options.keep),
        graceMs: options.graceSeconds * 1000,
        lagBound: options.lagBound,
        freezeTimeoutMs: options.freezeTimeoutSeconds * 1000,
        pollMs: 500,
        dryRun: Boolean(options.dryRun),
        onProgress: (phase, figures) => progress.update(phase, figures),
        onStep: (message) => {
          if (out.json)
            process.stdout.write(`${JSON.stringify({ type: 'step', readModel: model, message })}\n`);
          else out.info(message);
        },
      },
    );
  } catch (error) {
    if (error instanceof RebuildRefused) throw new UsageError(error.message);
    throw error;
  } finally {
    progress.stop();
    await pool.end();
  }
  if (out.json) {
    process.stdout.write(
      `${JSON.stringify({ type: 'result', dryRun: Boolean(options.dryRun), ...result })}\n`,
    );
    return;
  }
  if (options.dryRun) {
    out.info(
      `plan for ${model}: version ${result.plan.previousVersion} -> ${result.plan.version} (${result.plan.mode})`,
    );
    for (const step of result.plan.steps) out.info(`would ${step}`);
  }
}

const nonNegative = (what: string) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError(`${what} must be a whole number >= 0`);
  return parsed;
};

export function registerRebuild(
  projections: Command,
  ctx: () => OpsContext,
  out: (command: Command) => Output,
) {
  projections
    .command('rebuild <name>')
    .description(
      'build a new version of a read model (accounts, transfers) beside the live one, then swap it in atomically',
    )
    .addOption(
      new Option('--mode <mode>', 'fast: unlogged tables, large batches, indexes after the load')
        .choices(['fast', 'incremental'])
        .default('fast'),
    )
    .option('--keep', "keep the previous version's tables instead of dropping them after the grace period")
    .option(
      '--grace-seconds <s>',
      'how long the previous version is kept before it is dropped',
      nonNegative('--grace-seconds'),
      300,
    )
    .option(
      '--lag-bound <n>',
      'swap once the new version is within this many records of the log end',
      nonNegative('--lag-bound'),
      1000,
    )
    .option(
      '--freeze-timeout-seconds <s>',
      'longest pause of the live projector while the new version catches up with it',
      nonNegative('--freeze-timeout-seconds'),
      10,
    )
    .option('--dry-run', 'show the plan and change nothing')
    .action(async (name: string, options: RebuildCommandOptions, command: Command) =>
      rebuild(ctx(), out(command), name, options),
    );
}
