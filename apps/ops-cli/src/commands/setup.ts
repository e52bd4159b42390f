import { provisionSteps, TRANSFER_SAGA_GROUP } from '@ledger/application';
import { inNamespace } from '@ledger/contracts';
import { PROJECTIONS } from '@ledger/read-models';
import { Option, type Command } from 'commander';
import { OpsContext, Output, UsageError } from '../context';

/** Consumer groups whose retry and dead-letter topics setup provisions. */
export const consumerGroups = () => [
  PROJECTIONS.accounts.name,
  PROJECTIONS.transfers.name,
  inNamespace(TRANSFER_SAGA_GROUP),
];

/**
 * Everything the apps expect to exist, idempotently: run before the first start and after upgrades. The
 * steps are the apps' own provisioning (`provision` of @ledger/application), all of them.
 */
export async function setup(
  ctx: OpsContext,
  out: Output,
  options: { dryRun?: boolean; partitions: number; replicationFactor: number },
) {
  const admin = () => ctx.admin();
  const steps = provisionSteps({
    database: { url: ctx.config.DATABASE_URL, pool: ctx.pool },
    schemas: ctx.registryConnection,
    eventTopics: { admin, partitions: options.partitions, replicationFactor: options.replicationFactor },
    consumerTopics: {
      admin,
      groups: consumerGroups(),
      retryDelaysMs: ctx.config.RETRY_DELAYS_MS,
      partitions: ctx.config.RETRY_TOPIC_PARTITIONS,
      replicationFactor: options.replicationFactor,
    },
  });
  for (const step of steps) {
    if (options.dryRun) {
      out.info(`would ensure: ${step.name}`);
      continue;
    }
    const result = await retryingTransient(
      () => step.run(),
      (error) => out.detail(`${step.name}: retrying after ${error}`),
    );
    out.info(`${step.name}: ${result.summary}`);
    for (const warning of result.warnings) out.info(`  warning: ${warning}`);
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
