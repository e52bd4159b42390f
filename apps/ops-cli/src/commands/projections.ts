import { projectionStatus, ProjectionStatus } from '@ledger/projections';
import {
  ActiveGroupChangedError,
  activeGroupOf,
  PROJECTIONS,
  READ_MODEL_NAMES,
  resetReadModel,
  tablesOf,
  type ReadModelName,
} from '@ledger/read-models';
import type { Command } from 'commander';
import { OpsContext, Output, UsageError } from '../context';
import { registerRebuild } from './rebuild';

// Looked up on use: projection names and topics depend on KAFKA_TOPIC_PREFIX.
const projectionNames = () => READ_MODEL_NAMES.map((model) => PROJECTIONS[model].name);

function readModelOf(name: string): ReadModelName {
  const model = READ_MODEL_NAMES.find((candidate) => PROJECTIONS[candidate].name === name);
  if (!model) throw new UsageError(`unknown projection "${name}"; known: ${projectionNames().join(', ')}`);
  return model;
}

async function status(ctx: OpsContext, out: Output, name?: string) {
  const names = name ? [name] : projectionNames();
  const admin = await ctx.admin();
  const report: ProjectionStatus[] = [];
  for (const projection of names) {
    // After a rebuild the read model is kept by the group it swapped in (ADR 0020).
    const group = await activeGroupOf(ctx.pool, projection);
    report.push(
      await projectionStatus({ pool: ctx.pool, admin }, group, [
        ...PROJECTIONS[readModelOf(projection)].topics,
      ]),
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
 * Rebuilds a read model from the first event: the read model empties its tables and checkpoints in one
 * transaction (`resetReadModel`), then its consumer group is reset to the earliest offsets. Kafka only
 * resets a group without members, so the projector must be stopped; it is refused otherwise.
 */
async function replay(
  ctx: OpsContext,
  out: Output,
  name: string,
  options: { yes?: boolean; dryRun?: boolean },
) {
  const model = readModelOf(name);
  const topics = PROJECTIONS[model].topics;
  name = await activeGroupOf(ctx.pool, name);
  const admin = await ctx.admin();
  const { groups } = await admin.describeGroups([name]);
  const members = groups[0]?.members.length ?? 0;
  if (members > 0)
    throw new UsageError(`consumer group ${name} has ${members} active member(s): stop the projector first`);
  const plan = [
    `truncate ${tablesOf(model).join(', ')}`,
    `clear checkpoints of ${name}`,
    `reset ${name} to earliest on ${topics.join(', ')}`,
  ];
  if (options.dryRun || !options.yes) {
    for (const step of plan) out.info(`would ${step}`);
    if (!options.dryRun) throw new UsageError('replay discards the read model: pass --yes to do it');
    return;
  }
  const { group } = await resetReadModel(ctx.pool, model, { expectedGroup: name }).catch((error: unknown) => {
    if (error instanceof ActiveGroupChangedError)
      throw new UsageError(`${error.message}; run the replay again`);
    throw error;
  });
  out.info(`read model of ${group} truncated`);
  for (const topic of topics) {
    await admin.resetOffsets({ groupId: group, topic, earliest: true });
    out.info(`consumer group ${group} reset to earliest on ${topic}`);
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
