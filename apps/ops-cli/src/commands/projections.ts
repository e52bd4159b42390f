import { clearCheckpoints, projectionStatus, ProjectionStatus } from '@ledger/projections';
import {
  ACCOUNT_READ_MODEL_TABLES,
  activeGroupOf,
  PROJECTIONS,
  TRANSFER_READ_MODEL_TABLES,
} from '@ledger/read-models';
import { withTransaction } from '@ledger/postgres';
import type { Command } from 'commander';
import { OpsContext, Output, UsageError } from '../context';
import { registerRebuild } from './rebuild';

// Built on use: projection names and topics depend on KAFKA_TOPIC_PREFIX.
const readModels = (): Record<string, { topics: readonly string[]; tables: readonly string[] }> => ({
  [PROJECTIONS.accounts.name]: { topics: PROJECTIONS.accounts.topics, tables: ACCOUNT_READ_MODEL_TABLES },
  [PROJECTIONS.transfers.name]: { topics: PROJECTIONS.transfers.topics, tables: TRANSFER_READ_MODEL_TABLES },
});

function readModelOf(name: string) {
  const model = readModels()[name];
  if (!model)
    throw new UsageError(`unknown projection "${name}"; known: ${Object.keys(readModels()).join(', ')}`);
  return model;
}

async function status(ctx: OpsContext, out: Output, name?: string) {
  const names = name ? [name] : Object.keys(readModels());
  const admin = await ctx.admin();
  const report: ProjectionStatus[] = [];
  for (const projection of names) {
    // After a rebuild the read model is kept by the group it swapped in (ADR 0020).
    const group = await activeGroupOf(ctx.pool, projection);
    report.push(
      await projectionStatus({ pool: ctx.pool, admin }, group, [...readModelOf(projection).topics]),
    );
  }
  out.result(report, () => {
    for (const projection of report) {
      const lag = projection.partitions.reduce((sum, partition) => sum + partition.lagEvents, 0);
      const seconds = Math.max(0, ...projection.partitions.map((partition) => partition.lagSeconds ?? 0));
      out.info(
        `${projection.projection}: lag ${lag} events, ${seconds.toFixed(1)} s; parked ${projection.parked.retrying} retrying, ${projection.parked.deadLettered} dead-lettered; group ${projection.group.state}, ${projection.group.members.length} member(s)`,
      );
      for (const member of projection.group.members)
        out.detail(`  member ${member.clientId} on ${member.clientHost}`);
      for (const partition of projection.partitions) {
        out.detail(
          `  ${partition.topic}[${partition.partition}] committed ${partition.committedOffset ?? '-'} / end ${partition.highWatermark}, position ${partition.globalPosition ?? '-'}`,
        );
      }
    }
  });
}

/**
 * Rebuilds a read model from the first event: truncates its tables and checkpoints in one transaction,
 * then resets its consumer group to the earliest offsets. Kafka only resets a group without members,
 * so the projector must be stopped; it is refused otherwise.
 */
async function replay(
  ctx: OpsContext,
  out: Output,
  name: string,
  options: { yes?: boolean; dryRun?: boolean },
) {
  const model = readModelOf(name);
  name = await activeGroupOf(ctx.pool, name);
  const admin = await ctx.admin();
  const { groups } = await admin.describeGroups([name]);
  const members = groups[0]?.members.length ?? 0;
  if (members > 0)
    throw new UsageError(`consumer group ${name} has ${members} active member(s): stop the projector first`);
  const plan = [
    `truncate ${model.tables.join(', ')}`,
    `clear checkpoints of ${name}`,
    `reset ${name} to earliest on ${model.topics.join(', ')}`,
  ];
  if (options.dryRun || !options.yes) {
    for (const step of plan) out.info(`would ${step}`);
    if (!options.dryRun) throw new UsageError('replay discards the read model: pass --yes to do it');
    return;
  }
  await withTransaction(ctx.pool, async (tx) => {
    await tx.query(`truncate ${model.tables.join(', ')}`);
    await clearCheckpoints(tx, name);
  });
  out.info(`read model of ${name} truncated`);
  for (const topic of model.topics) {
    await admin.resetOffsets({ groupId: name, topic, earliest: true });
    out.info(`consumer group ${name} reset to earliest on ${topic}`);
  }
  out.info('start the projector to rebuild; `ops-cli projections status` shows its progress');
}

export function registerProjections(
  program: Command,
  ctx: () => OpsContext,
  out: (command: Command) => Output,
) {
  const projections = program
    .command('projections')
    .description('read-model projections: status, replay and rebuild');
  projections
    .command('status [name]')
    .description('lag in events and seconds per projection and partition; parked streams')
    .action(async (name: string | undefined, _options, command: Command) =>
      status(ctx(), out(command), name),
    );
  projections
    .command('replay <name>')
    .description('truncate the read model and reset the consumer group to earliest (projector stopped)')
    .option('--yes', 'confirm discarding the read model')
    .option('--dry-run', 'show the steps only')
    .action(async (name: string, options, command: Command) => replay(ctx(), out(command), name, options));
  registerRebuild(projections, ctx, out);
}
