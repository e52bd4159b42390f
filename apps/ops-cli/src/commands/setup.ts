import { TRANSFER_SAGA_GROUP } from '@ledger/application';
import { inNamespace } from '@ledger/contracts';
import { runMigrations } from '@ledger/event-store';
import { provisionTopics } from '@ledger/messaging';
import { ensureProjectionSchema, ensureProjectionTopics } from '@ledger/projections';
import { ensureReadModelSchema, PROJECTIONS } from '@ledger/read-models';
import { Option, type Command } from 'commander';
import { registerSchemas } from '@ledger/schemas';
import { OpsContext, Output, UsageError } from '../context';

/** Consumer groups whose retry and dead-letter topics setup provisions. */
export const consumerGroups = () => [
  PROJECTIONS.accounts.name,
  PROJECTIONS.transfers.name,
  inNamespace(TRANSFER_SAGA_GROUP),
];
const RETRY_LEVELS = 3;

/** Everything the apps expect to exist, idempotently: run before the first start and after upgrades. */
export async function setup(
  ctx: OpsContext,
  out: Output,
  options: { dryRun?: boolean; partitions: number; replicationFactor: number },
) {
  const steps: Array<[string, () => Promise<string>]> = [
    [
      'event store schema',
      async () => describeList(await runMigrations(ctx.config.DATABASE_URL), 'up to date'),
    ],
    [
      'projection runtime and read-model schema',
      async () => {
        await ensureProjectionSchema(ctx.pool);
        await ensureReadModelSchema(ctx.pool);
        return 'ensured';
      },
    ],
    [
      'Avro schemas',
      async () => {
        const registered = await registerSchemas(ctx.registryConnection);
        return `${registered.length} versions registered (BACKWARD_TRANSITIVE)`;
      },
    ],
    [
      'event topics',
      async () => {
        const report = await provisionTopics(await ctx.admin(), {
          partitions: options.partitions,
          replicationFactor: options.replicationFactor,
        });
        for (const mismatch of report.mismatches) {
          out.info(
            `  warning: ${mismatch.topic} has ${mismatch.setting} ${mismatch.actual}, expected ${mismatch.expected}`,
          );
        }
        return `${report.created.length} created, ${report.existing.length} existing`;
      },
    ],
    [
      'retry and dead-letter topics',
      async () => {
        const admin = await ctx.admin();
        for (const group of consumerGroups()) {
          await ensureProjectionTopics(admin, group, {
            retryLevels: RETRY_LEVELS,
            partitions: options.partitions,
            replicationFactor: options.replicationFactor,
          });
        }
        return `${consumerGroups().length} consumer groups`;
      },
    ],
  ];
  for (const [name, run] of steps) {
    if (options.dryRun) {
      out.info(`would ensure: ${name}`);
      continue;
    }
    out.info(
      `${name}: ${await retryingTransient(run, (error) => out.detail(`${name}: retrying after ${error}`))}`,
    );
  }
}

// Fresh topics take a moment to reach the broker's metadata cache; kafkajs marks such errors retriable.
async function retryingTransient<T>(
  run: () => Promise<T>,
  onRetry: (error: string) => void,
  attempts = 10,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const retriable = (error as { retriable?: boolean }).retriable === true;
      if (!retriable || attempt >= attempts) throw error;
      onRetry(error instanceof Error ? error.message : String(error));
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

function positiveInteger(value: string): number {
  if (!/^[1-9]\d{0,3}$/.test(value)) throw new UsageError(`expected a positive integer, got "${value}"`);
  return Number(value);
}

function describeList(items: string[], none: string): string {
  return items.length === 0 ? none : `applied ${items.join(', ')}`;
}

export function registerSetup(program: Command, ctx: () => OpsContext, out: (command: Command) => Output) {
  program
    .command('setup')
    .description('create or upgrade everything the apps need: migrations, schemas, topics (idempotent)')
    .option('--dry-run', 'list the steps without doing them')
    .option('--partitions <n>', 'partitions of new event topics', positiveInteger, 6)
    .addOption(
      new Option('--replication-factor <n>', 'replicas of new topics (3 on a production cluster)')
        .env('KAFKA_REPLICATION_FACTOR')
        .argParser(positiveInteger)
        .default(1),
    )
    .action(async (options, command: Command) => setup(ctx(), out(command), options));
}
